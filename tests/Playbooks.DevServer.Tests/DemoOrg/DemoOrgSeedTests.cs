using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.DevServer.DemoOrg;

namespace Playbooks.DevServer.Tests.DemoOrg;

/// <summary>The seed the dev server starts with, run again on its own services: the same demo state every time.</summary>
[Collection(DevServerCollection.Name)]
public class DemoOrgSeedTests(DevServerFactory server)
{
    private T Service<T>() where T : notnull => server.Services.GetRequiredService<T>();

    private static Caller As(string userId)
    {
        var user = DemoOrgSeed.Users.Single(u => u.UserId == userId);
        return new Caller(user.OrgId, user.UserId, user.DisplayName, user.Roles.ToHashSet());
    }

    [Fact]
    public async Task Seed_RunTwice_ExercisesEveryRule()
    {
        // Arrange
        var seed = Service<DemoOrgSeed>();
        await seed.SeedAsync();
        await seed.SeedAsync();
        var me = Service<MeService>();

        // Act
        var both = (await me.GetProfileAsync(As("rep-both"))).Value!;
        var phone = (await me.GetProfileAsync(As("rep-phone"))).Value!;
        var computerOnly = (await me.GetProfileAsync(As("rep-computer-only"))).Value!;
        var sandbox = (await me.GetProfileAsync(As("rep-sandbox"))).Value!;
        var eastPeople = await Service<TeamsService>().ListPeopleAsync(As("manager"), DemoOrgSeed.EastTeamId, PageRequest.First);

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
        Assert.Equal(3, (await Service<PermissionGroupStore>().ListAllAsync(DemoOrgSeed.OrgId)).Count);
    }
}
