using System.ComponentModel.DataAnnotations;
using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Bootstrap;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Bootstrap;

public class BootstrapServiceTests
{
    private const string OrgId = "7d2a4b8e-1111-4222-8333-944455556666";
    private const string AdminId = "0f1e2d3c-aaaa-4bbb-8ccc-ddddeeeeffff";

    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<AuditStore> auditStore = StoreMocks.Of<AuditStore>();
    private readonly List<AuditEntry> entries = [];
    private readonly List<string> outcomes = [];

    public BootstrapServiceTests()
    {
        auditStore.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => entries.Add(e))
            .Returns(Task.CompletedTask);
        auditStore.Setup(s => s.MarkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, string state, string? _, CancellationToken _) => outcomes.Add(state))
            .Returns(Task.CompletedTask);
    }

    private static BootstrapOptions Configured() =>
        new() { OrgId = OrgId, OrgName = " Contoso ", AdminObjectId = AdminId.ToUpperInvariant() };

    private BootstrapService Service(BootstrapOptions options) =>
        new(Options.Create(options), orgs.Object, people.Object, new AuditService(auditStore.Object, TimeProvider.System));

    private void EmptyStore()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);
        orgs.Setup(o => o.CreateAsync(It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, CancellationToken _) => o with { Version = "v1" });
        people.Setup(p => p.GetAsync(OrgId, AdminId, It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p with { Version = "v1" }, true));
    }

    [Fact]
    public async Task Ensure_EmptyStore_CreatesOrgAndAdminWithAuditByBootstrap()
    {
        EmptyStore();

        var result = await Service(Configured()).EnsureAsync();

        Assert.Equal(new BootstrapOutcome(true, true), result.Value);
        orgs.Verify(o => o.CreateAsync(It.Is<OrgSettings>(x => x.OrgId == OrgId && x.Name == "Contoso" && !x.ComputerCallingEnabled), It.IsAny<CancellationToken>()), Times.Once);
        people.Verify(p => p.CreateOrGetAsync(It.Is<Person>(x => x.OrgId == OrgId && x.UserId == AdminId && x.Roles.SequenceEqual(new[] { AppRoles.Admin })), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(["org.created", "person.created"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("bootstrap", OrgId, AuditStates.Pending), (e.ActorUserId, e.OrgId, e.State)));
        Assert.Equal([AuditStates.Applied, AuditStates.Applied], outcomes);
    }

    [Fact]
    public async Task Ensure_OrgAndAdminExist_WritesNothing()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Renamed by the admin", Version = "v2" });
        people.Setup(p => p.GetAsync(OrgId, AdminId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = OrgId, UserId = AdminId, DisplayName = "Ada", Roles = [AppRoles.Admin] });

        var result = await Service(Configured()).EnsureAsync();

        // Strict mocks: any create or update would throw.
        Assert.Equal(BootstrapOutcome.Nothing, result.Value);
        Assert.Empty(entries);
    }

    [Fact]
    public async Task Ensure_OrgExistsAdminMissing_CreatesOnlyTheAdmin()
    {
        EmptyStore();
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Contoso", DefaultCallingPreference = CallingMethod.Computer, Version = "v2" });

        var result = await Service(Configured()).EnsureAsync();

        Assert.Equal(new BootstrapOutcome(false, true), result.Value);
        Assert.Equal(["person.created"], entries.Select(e => e.Action));
        people.Verify(p => p.CreateOrGetAsync(It.Is<Person>(x => x.CallingPreference == CallingMethod.Computer), It.IsAny<CancellationToken>()), Times.Once);
        orgs.Verify(o => o.CreateAsync(It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Ensure_ConcurrentInstanceCreatedBoth_ReportsNothingCreated()
    {
        EmptyStore();
        orgs.Setup(o => o.CreateAsync(It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Conflict("org-exists", "taken"));
        people.Setup(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p, false));

        var result = await Service(Configured()).EnsureAsync();

        Assert.Equal(BootstrapOutcome.Nothing, result.Value);
        Assert.Equal([AuditStates.NotApplied, AuditStates.NotApplied], outcomes);
    }

    [Fact]
    public async Task Ensure_AuditUnwritable_CreatesNothingAndRefuses()
    {
        EmptyStore();
        auditStore.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "unavailable"));

        var result = await Service(Configured()).EnsureAsync();

        Assert.Equal(AuditService.AuditUnavailable, result.Failure!.Code);
        orgs.Verify(o => o.CreateAsync(It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()), Times.Never);
        people.Verify(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Ensure_NotConfigured_TouchesNoStorage()
    {
        var result = await Service(new BootstrapOptions()).EnsureAsync();

        Assert.Equal(BootstrapOutcome.Nothing, result.Value);
        Assert.Empty(entries);
    }

    [Fact]
    public async Task Ensure_OnlyTenantIdGiven_UsesTenantAsOrgId()
    {
        EmptyStore();
        var options = new BootstrapOptions { AdminTenantId = OrgId, OrgName = "Contoso", AdminObjectId = AdminId };

        var result = await Service(options).EnsureAsync();

        Assert.True(result.Value!.OrgCreated);
        orgs.Verify(o => o.CreateAsync(It.Is<OrgSettings>(x => x.OrgId == OrgId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(OrgId, "Contoso", "not-a-guid", null, "AdminObjectId")]
    [InlineData(OrgId, "", AdminId, null, "OrgName")]
    [InlineData("a/b", "Contoso", AdminId, null, "OrgId")]
    [InlineData(null, "Contoso", AdminId, null, "OrgId")]
    [InlineData(OrgId, "Contoso", AdminId, "tenant", "AdminTenantId")]
    public void Validate_BadSetting_NamesIt(string? orgId, string? name, string? adminId, string? tenantId, string member)
    {
        var options = new BootstrapOptions { OrgId = orgId, OrgName = name, AdminObjectId = adminId, AdminTenantId = tenantId };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(member));
    }

    [Fact]
    public void Validate_NothingSet_IsValidAndDisabled()
    {
        var options = new BootstrapOptions();

        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.False(options.Enabled);
    }

    [Fact]
    public async Task RunnerStart_StorageDownThenUp_StartsAndRetriesUntilCreated()
    {
        EmptyStore();
        orgs.SetupSequence(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(0, "connection refused"))
            .ThrowsAsync(new RequestFailedException(0, "connection refused"))
            .ReturnsAsync((OrgSettings?)null);
        var options = Configured();
        options.FirstRetryDelay = TimeSpan.FromMilliseconds(200);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
        var runner = new BootstrapRunner(Service(options), Options.Create(options), TimeProvider.System, NullLogger<BootstrapRunner>.Instance);

        await runner.StartAsync(CancellationToken.None);
        Assert.Empty(entries); // start-up went on after the failed first attempt
        await runner.Retries.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["org.created", "person.created"], entries.Select(e => e.Action));
        await runner.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RunnerStop_StorageStillDown_StopsRetrying()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(0, "connection refused"));
        var options = Configured();
        options.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(10);
        var runner = new BootstrapRunner(Service(options), Options.Create(options), TimeProvider.System, NullLogger<BootstrapRunner>.Instance);

        await runner.StartAsync(CancellationToken.None);
        await runner.StopAsync(CancellationToken.None);

        Assert.True(runner.Retries.IsCompleted);
        Assert.Empty(entries);
    }
}
