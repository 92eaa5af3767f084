using Playbooks.Calling.Calls;

namespace Playbooks.Calling.Tests.Calls;

[Collection(AzuriteCollection.Name)]
public class OpenCallIndexIntegrationTests(AzuriteStorage storage)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OpenedBeforeAsync_MixOfAges_ListsOnlyCallsOpenedBeforeTheCutoff()
    {
        // Arrange
        var index = new OpenCallIndex(storage.Tables);
        var org = AzuriteStorage.NewOrgId();
        await index.OpenAsync(new OpenCall(org, "CA01", T0.AddMinutes(-90)));
        await index.OpenAsync(new OpenCall(org, "CA02", T0.AddMinutes(-5)));
        await index.OpenAsync(new OpenCall(org, "CA03", T0.AddMinutes(-1)));

        // Act
        var old = await index.OpenedBeforeAsync(T0.AddMinutes(-2), 100);

        // Assert
        Assert.Equal(["CA01", "CA02"], old.Where(c => c.OrgId == org).Select(c => c.AgentCallSid).Order());
    }

    [Fact]
    public async Task OpenAsync_SameCallTwice_KeepsTheFirstTime()
    {
        // Arrange
        var index = new OpenCallIndex(storage.Tables);
        var org = AzuriteStorage.NewOrgId();
        await index.OpenAsync(new OpenCall(org, "CA01", T0.AddMinutes(-90)));

        // Act
        await index.OpenAsync(new OpenCall(org, "CA01", T0));

        // Assert
        var call = Assert.Single(await index.OpenedBeforeAsync(T0.AddMinutes(1), 100), c => c.OrgId == org);
        Assert.Equal(T0.AddMinutes(-90), call.OpenedAt);
    }

    [Fact]
    public async Task CloseAsync_OpenAndUnknownCalls_RemovesTheOpenOneAndIgnoresTheOther()
    {
        // Arrange
        var index = new OpenCallIndex(storage.Tables);
        var org = AzuriteStorage.NewOrgId();
        await index.OpenAsync(new OpenCall(org, "CA01", T0.AddMinutes(-90)));

        // Act
        await index.CloseAsync(org, "CA01");
        await index.CloseAsync(org, "CA99");

        // Assert
        Assert.DoesNotContain(await index.OpenedBeforeAsync(T0.AddMinutes(1), 100), c => c.OrgId == org);
    }

    [Fact]
    public async Task OpenedBeforeAsync_MoreThanTheLimit_StopsAtTheLimit()
    {
        // Arrange
        var index = new OpenCallIndex(storage.Tables);
        var org = AzuriteStorage.NewOrgId();
        for (var i = 0; i < 5; i++)
        {
            await index.OpenAsync(new OpenCall(org, $"CA0{i}", T0.AddMinutes(-10 - i)));
        }

        // Act
        var page = await index.OpenedBeforeAsync(T0, 3);

        // Assert
        Assert.Equal(3, page.Count);
    }
}
