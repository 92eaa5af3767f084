using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSecretServiceTests
{
    private const string OrgASecret = "crm-org-a-client-secret";
    private const string Value = "3MVG9secretValue.ABC_123";
    private readonly Mock<SecretClient> _vault = new(MockBehavior.Strict);
    private readonly Mock<AuditStore> _auditStore = StoreMocks.Of<AuditStore>();
    private readonly List<AuditEntry> _entries = [];

    public CrmSecretServiceTests()
    {
        _auditStore.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => _entries.Add(e)).Returns(Task.CompletedTask);
        _auditStore.Setup(s => s.MarkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
    }

    private CrmSecretService Service(SecretClient? vault) =>
        new(new CrmSecrets(new ConfigurationBuilder().Build(), CrmTestKit.Options(), new FakeTimeProvider(CrmTestKit.Start), vault),
            new AuditService(_auditStore.Object, new FakeTimeProvider(CrmTestKit.Start)));

    private static Response<KeyVaultSecret> Stored(string name, string value) =>
        Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), value), Mock.Of<Response>());

    [Fact]
    public async Task SetAsync_Admin_WritesTheOrgsFixedNameAndAuditsWithoutTheValue()
    {
        _vault.Setup(v => v.SetSecretAsync(OrgASecret, Value, It.IsAny<CancellationToken>())).ReturnsAsync(Stored(OrgASecret, Value));

        var result = await Service(_vault.Object).SetAsync(Callers.Admin("org-a"), Value);

        Assert.Equal(new CrmSecretStatus(OrgASecret, true), result.Value);
        _vault.Verify(v => v.SetSecretAsync(OrgASecret, Value, It.IsAny<CancellationToken>()), Times.Once);
        var entry = Assert.Single(_entries);
        Assert.Equal(("crm.secret-set", "org-a"), (entry.Action, entry.OrgId));
        Assert.Contains(OrgASecret, entry.After);
        Assert.DoesNotContain(Value, (entry.Before ?? "") + entry.After);
    }

    [Fact]
    public async Task SetAsync_Manager_ForbiddenAndVaultUntouched()
    {
        var result = await Service(_vault.Object).SetAsync(Callers.Manager("org-a"), Value);

        Assert.Equal(("requires-admin", FailureKind.Forbidden), (result.Failure!.Code, result.Failure.Kind));
        Assert.Empty(_entries);
    }

    [Theory]
    [InlineData(null, "secret-required")]
    [InlineData("", "secret-required")]
    [InlineData("has space", "secret-invalid-characters")]
    [InlineData("line\nbreak", "secret-invalid-characters")]
    [InlineData("caf\u00e9", "secret-invalid-characters")]
    public async Task SetAsync_BadValue_InvalidOnClientSecretField(string? secret, string code)
    {
        var result = await Service(_vault.Object).SetAsync(Callers.Admin("org-a"), secret);

        Assert.Equal((FailureKind.Invalid, code, "clientSecret"), (result.Failure!.Kind, result.Failure.Code, result.Failure.Field));
        Assert.Empty(_entries);
    }

    [Fact]
    public async Task SetAsync_LongerThanLimit_SecretTooLong()
    {
        var result = await Service(_vault.Object).SetAsync(Callers.Admin("org-a"), new string('x', CrmSecretService.MaxLength + 1));

        Assert.Equal("secret-too-long", result.Failure!.Code);
    }

    [Fact]
    public async Task SetAsync_NoVaultConfigured_UnavailableWithoutAudit()
    {
        var result = await Service(null).SetAsync(Callers.Admin("org-a"), Value);

        Assert.Equal((FailureKind.Unavailable, "crm-vault-not-configured"), (result.Failure!.Kind, result.Failure.Code));
        Assert.Empty(_entries);
    }

    [Fact]
    public async Task SetAsync_VaultRefusesTheApp_FailureNamesTheRoleAndAuditSaysNotApplied()
    {
        _vault.Setup(v => v.SetSecretAsync(OrgASecret, Value, It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(403, "Forbidden"));
        string? outcomeState = null;
        _auditStore.Setup(s => s.MarkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, string state, string? _, CancellationToken _) => outcomeState = state).Returns(Task.CompletedTask);

        var result = await Service(_vault.Object).SetAsync(Callers.Admin("org-a"), Value);

        Assert.Equal("crm-vault-forbidden", result.Failure!.Code);
        Assert.Contains("Key Vault Secrets Officer", result.Failure.Detail);
        Assert.DoesNotContain(Value, result.Failure.Detail);
        Assert.Equal(AuditStates.NotApplied, outcomeState);
    }

    [Fact]
    public async Task GetStatusAsync_SecretMissingFromVault_NotSet()
    {
        _vault.Setup(v => v.GetSecretAsync(OrgASecret, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        var result = await Service(_vault.Object).GetStatusAsync(Callers.Admin("org-a"));

        Assert.Equal(new CrmSecretStatus(OrgASecret, false), result.Value);
    }

    [Fact]
    public async Task GetStatusAsync_VaultDown_UnknownRatherThanError()
    {
        _vault.Setup(v => v.GetSecretAsync(OrgASecret, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(500, "boom"));

        var result = await Service(_vault.Object).GetStatusAsync(Callers.Admin("org-a"));

        Assert.Equal(new CrmSecretStatus(OrgASecret, null), result.Value);
    }

    [Fact]
    public async Task SetAsync_AfterSecretWasCached_NextReadGetsTheNewValue()
    {
        var secrets = new CrmSecrets(new ConfigurationBuilder().Build(), CrmTestKit.Options(), new FakeTimeProvider(CrmTestKit.Start), _vault.Object);
        _vault.SetupSequence(v => v.GetSecretAsync(OrgASecret, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Stored(OrgASecret, "old-value"))
            .ReturnsAsync(Stored(OrgASecret, Value));
        _vault.Setup(v => v.SetSecretAsync(OrgASecret, Value, It.IsAny<CancellationToken>())).ReturnsAsync(Stored(OrgASecret, Value));
        await secrets.GetAsync("org-a", CancellationToken.None);

        await secrets.SetAsync("org-a", Value, CancellationToken.None);
        var after = await secrets.GetAsync("org-a", CancellationToken.None);

        Assert.Equal(Value, after);
    }
}
