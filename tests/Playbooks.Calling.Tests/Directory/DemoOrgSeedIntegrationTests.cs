using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.OrgDirectory;

[Collection(AzuriteCollection.Name)]
public class DemoOrgSeedIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    private static Caller As(string userId)
    {
        var user = DemoOrgSeed.Users.Single(u => u.UserId == userId);
        return new Caller(user.OrgId, user.UserId, user.DisplayName, user.Roles.ToHashSet());
    }

    [Fact]
    public async Task Seed_RunTwice_ExercisesEveryRule()
    {
        // Arrange
        await directory.Seed.SeedAsync();
        await directory.Seed.SeedAsync();

        // Act
        var both = (await directory.Me.GetProfileAsync(As("rep-both"))).Value!;
        var phone = (await directory.Me.GetProfileAsync(As("rep-phone"))).Value!;
        var computerOnly = (await directory.Me.GetProfileAsync(As("rep-computer-only"))).Value!;
        var sandbox = (await directory.Me.GetProfileAsync(As("rep-sandbox"))).Value!;
        var eastPeople = await directory.TeamsService.ListPeopleAsync(As("manager"), DemoOrgSeed.EastTeamId, PageRequest.First);

        // Assert
        Assert.True(both.CanPlaceCalls.Computer.Allowed && both.CanPlaceCalls.Phone.Allowed);
        Assert.True(both.AgentPhone!.Verified && phone.AgentPhone!.Verified, "the demo's agent phones are seeded verified so ./run.sh calls them at once");
        Assert.Equal("Acme (demo)", both.Org.Name);
        Assert.Equal(RecordingMode.RecordFromAnswer, both.Calling.Recording);
        Assert.Equal("group-forbids-computer", phone.CanPlaceCalls.Computer.Reason);
        Assert.Equal([CallingMethod.Phone], phone.CallingOptions);
        Assert.Equal("group-forbids-phone", computerOnly.CanPlaceCalls.Phone.Reason);
        Assert.Equal("org-computer-calling-disabled", sandbox.CanPlaceCalls.Computer.Reason);
        Assert.True(sandbox.Org.IsSandbox);
        Assert.Equal(["manager", "rep-both", "rep-phone"], eastPeople.Value!.Items.Select(p => p.UserId));
        Assert.Equal(3, (await directory.Groups.ListAllAsync(DemoOrgSeed.OrgId)).Count);
    }
}
