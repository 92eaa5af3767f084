using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Orgs;

[Collection(AzuriteCollection.Name)]
public class OrgIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task Store_RoundTrip_KeepsEverySetting()
    {
        var org = new OrgSettings
        {
            OrgId = AzuriteStorage.NewOrgId(), Name = "Round trip", ParentOrgId = "parent", ComputerCallingEnabled = true,
            DefaultCallingPreference = CallingMethod.Computer, Recording = RecordingMode.DualChannel, Edges = ["dublin", "roaming"],
            CodecPreferences = ["pcmu"], CallerId = "+15005550006", AllowedCountries = ["GB"],
        };

        await directory.Orgs.CreateAsync(org);
        var stored = await directory.Orgs.GetAsync(org.OrgId);

        Assert.NotNull(stored?.Version);
        Assert.Equal(DirectoryJsonOf(org), DirectoryJsonOf(stored! with { Version = null }));
    }

    [Fact]
    public async Task Update_TwoEditsWithSameVersion_SecondGetsPreconditionFailed()
    {
        var orgId = await directory.NewOrgAsync();
        var admin = Callers.Admin(orgId);
        var version = (await directory.Orgs.GetAsync(orgId))!.Version;

        var first = await directory.OrgService.UpdateAsync(admin, new OrgSettingsPatch { Recording = "record-from-answer" }, version);
        var second = await directory.OrgService.UpdateAsync(admin, new OrgSettingsPatch { Edges = ["tokyo"] }, version);

        Assert.True(first.IsSuccess);
        Assert.Equal(FailureKind.PreconditionFailed, second.Failure!.Kind);
        var stored = (await directory.Orgs.GetAsync(orgId))!;
        Assert.Equal(RecordingMode.RecordFromAnswer, stored.Recording);
        Assert.Equal(["roaming"], stored.Edges);
    }

    [Fact]
    public async Task Get_AdminAlwaysReadsOwnOrg_SupportNamesAnyOrg()
    {
        var orgA = await directory.NewOrgAsync();
        var orgB = await directory.NewOrgAsync();

        var admin = await directory.OrgService.GetAsync(Callers.Admin(orgB));
        var support = await directory.SupportOrgs.GetAsync(Callers.Support(), orgA);
        var adminAsSupport = await directory.SupportOrgs.GetAsync(Callers.Admin(orgB), orgA);

        Assert.Equal(orgB, admin.Value!.OrgId);
        Assert.Equal(orgA, support.Value!.OrgId);
        Assert.Equal(FailureKind.Forbidden, adminAsSupport.Failure!.Kind);
    }

    [Fact]
    public async Task Support_CreatesSandboxAndEnablesParentOnly_SandboxStaysDisabled()
    {
        var support = Callers.Support();
        var parentId = AzuriteStorage.NewOrgId();
        await directory.SupportOrgs.CreateAsync(support, new NewOrg(parentId, "Parent"));
        var sandbox = await directory.SupportOrgs.CreateAsync(support, new NewOrg(parentId + "-sb", "Parent sandbox", parentId));

        var enabled = await directory.SupportOrgs.SetComputerCallingAsync(support, parentId, true);
        var duplicate = await directory.SupportOrgs.CreateAsync(support, new NewOrg(parentId, "Again"));

        Assert.True(enabled.Value!.ComputerCallingEnabled);
        Assert.False((await directory.Orgs.GetAsync(sandbox.Value!.OrgId))!.ComputerCallingEnabled);
        Assert.Equal(parentId, sandbox.Value.ParentOrgId);
        Assert.Equal("org-exists", duplicate.Failure!.Code);
    }

    private static string DirectoryJsonOf(OrgSettings org) => System.Text.Json.JsonSerializer.Serialize(org);
}
