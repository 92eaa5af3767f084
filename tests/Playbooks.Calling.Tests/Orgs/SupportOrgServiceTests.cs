using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Orgs;

public class SupportOrgServiceTests
{
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;

    public SupportOrgServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        orgs.Setup(o => o.GetAsync("parent", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = "parent", Name = "Parent", ComputerCallingEnabled = true, Version = "v1" });
    }

    private SupportOrgService Service => new(orgs.Object, audit.Object);

    [Fact]
    public async Task SetComputerCalling_Admin_Returns403()
    {
        var result = await Service.SetComputerCallingAsync(Callers.Admin("parent"), "parent", true);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("requires-support", result.Failure.Code);
    }

    [Fact]
    public async Task SetComputerCalling_UnknownOrg_Returns404()
    {
        orgs.Setup(o => o.GetAsync("ghost", It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);

        var result = await Service.SetComputerCallingAsync(Callers.Support(), "ghost", true);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task CreateSandbox_ParentEnabled_StartsDisabledWithParentLink()
    {
        orgs.Setup(o => o.CreateAsync(It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, CancellationToken _) => o with { Version = "v1" });

        var result = await Service.CreateAsync(Callers.Support(), new NewOrg("parent-sandbox", "Parent sandbox", "parent"));

        Assert.False(result.Value!.ComputerCallingEnabled);
        Assert.Equal("parent", result.Value.ParentOrgId);
        Assert.True(result.Value.IsSandbox);
        Assert.Equal(["org.sandbox-created"], audited);
    }

    [Theory]
    [InlineData("Has Spaces")]
    [InlineData("a/b")]
    [InlineData("x")]
    public async Task Create_BadOrgId_Returns400NamingOrgId(string orgId)
    {
        var result = await Service.CreateAsync(Callers.Support(), new NewOrg(orgId, "Name"));

        Assert.Equal("orgId", result.Failure!.Field);
    }

    [Fact]
    public async Task Create_UnknownParent_Returns400NamingParentOrgId()
    {
        orgs.Setup(o => o.GetAsync("ghost", It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);

        var result = await Service.CreateAsync(Callers.Support(), new NewOrg("child-org", "Child", "ghost"));

        Assert.Equal("parentOrgId", result.Failure!.Field);
    }

    [Fact]
    public async Task Get_AnotherOrg_AuditsTheReadInThatOrg()
    {
        var result = await Service.GetAsync(Callers.Support(), "parent");

        Assert.Equal("parent", result.Value!.OrgId);
        Assert.Equal(["org.read-by-support"], audited);
        audit.Verify(a => a.RecordAsync(It.IsAny<Playbooks.Calling.Identity.Caller>(), "parent", "org.read-by-support",
            AuditService.Org, "parent", null, null, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Get_NotSupport_Returns403WithoutAudit()
    {
        var result = await Service.GetAsync(Callers.Admin("vendor"), "parent");

        Assert.Equal("requires-support", result.Failure!.Code);
        Assert.Empty(audited);
    }
}
