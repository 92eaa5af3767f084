using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmConnectionValidationTests
{
    private static CrmConnectionInput Salesforce => new()
    {
        Provider = "salesforce", InstanceUrl = "https://acme.my.salesforce.com/", ClientId = "3MVG9key",
    };

    private static CrmConnectionInput Dynamics => new()
    {
        Provider = "dynamics", InstanceUrl = "https://acme.crm.dynamics.com", TenantId = "contoso.onmicrosoft.com",
        ClientId = "11111111-2222-3333-4444-555555555555",
    };

    [Fact]
    public void Validate_Salesforce_NormalisesUrlAndDropsTenant()
    {
        var result = CrmConnectionValidation.Validate("org-a", Salesforce with { TenantId = "ignored" });

        Assert.Equal(CrmProvider.Salesforce, result.Value!.Provider);
        Assert.Equal("https://acme.my.salesforce.com", result.Value.InstanceUrl);
        Assert.Null(result.Value.TenantId);
        Assert.Equal("crm-org-a-client-secret", result.Value.ClientSecretName);
    }

    [Fact]
    public void Validate_None_ClearsEverythingElse()
    {
        var result = CrmConnectionValidation.Validate("org-a", Salesforce with { Provider = "none" });

        Assert.Equal(CrmConnection.NoneFor("org-a"), result.Value);
    }

    [Fact]
    public void Validate_Dynamics_Accepted() =>
        Assert.True(CrmConnectionValidation.Validate("org-a", Dynamics).IsSuccess);

    public static TheoryData<CrmConnectionInput, string> Invalid() => new()
    {
        { Salesforce with { Provider = "hubspot" }, "provider" },
        { Salesforce with { Provider = null }, "provider" },
        { Salesforce with { InstanceUrl = "http://acme.my.salesforce.com" }, "instanceUrl" },
        { Salesforce with { InstanceUrl = "https://acme.my.salesforce.com/services" }, "instanceUrl" },
        { Salesforce with { InstanceUrl = "not a url" }, "instanceUrl" },
        { Salesforce with { ClientId = " " }, "clientId" },
        { Salesforce with { InstanceUrl = "https://attacker.example" }, "instanceUrl" },
        { Salesforce with { InstanceUrl = "https://acme.crm.dynamics.com" }, "instanceUrl" },
        { Dynamics with { InstanceUrl = "https://acme.my.salesforce.com" }, "instanceUrl" },
        { Dynamics with { InstanceUrl = "https://evil-dynamics.com" }, "instanceUrl" },
        { Salesforce with { InstanceUrl = "http://localhost:5123" }, "instanceUrl" },
        { Salesforce with { ClientSecretName = "twilio-auth-token" }, "clientSecretName" },
        { Salesforce with { ClientSecretName = "crm-org-b-client-secret" }, "clientSecretName" },
        { Salesforce with { ClientSecretName = "has spaces" }, "clientSecretName" },
        { Salesforce with { ClientId = new string('k', 256) }, "clientId" },
        { Dynamics with { TenantId = new string('a', 32_696) + ".com" }, "tenantId" },
        { Dynamics with { InstanceUrl = "https://" + new string('a', 40_000) + ".crm.dynamics.com" }, "instanceUrl" },
        { Salesforce with { Provider = new string('p', 70_000) }, "provider" },
        { Salesforce with { ClientSecret = "oops-a-secret" }, "clientSecret" },
        { Dynamics with { TenantId = null }, "tenantId" },
        { Dynamics with { TenantId = "not a tenant" }, "tenantId" },
        { Dynamics with { ClientId = "not-a-guid" }, "clientId" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadField_400NamingIt(CrmConnectionInput input, string field)
    {
        var result = CrmConnectionValidation.Validate("org-a", input);

        Assert.Equal((FailureKind.Invalid, field), (result.Failure!.Kind, result.Failure.Field));
    }

    [Fact]
    public void Validate_LocalStubOverHttpWhenAllowed_Accepted() =>
        Assert.True(CrmConnectionValidation.Validate("org-a", Salesforce with { InstanceUrl = "http://127.0.0.1:5123" }, allowLoopbackHttp: true).IsSuccess);

    [Fact]
    public void Validate_ExfiltrationAttempt_RefusedAtTheHost()
    {
        var result = CrmConnectionValidation.Validate("org-a",
            Salesforce with { ClientSecretName = "twilio-auth-token", InstanceUrl = "https://attacker.example" });

        Assert.Equal(("instanceUrl", "crm-host-not-allowed"), (result.Failure!.Field, result.Failure.Code));
    }

    [Fact]
    public void Validate_OwnComposedSecretNameSentBack_Accepted() =>
        Assert.True(CrmConnectionValidation.Validate("org-a", Salesforce with { ClientSecretName = "crm-org-a-client-secret" }).IsSuccess);

    [Fact]
    public void Validate_OversizedTenantId_TooLongBeforeAnyOtherCheck()
    {
        var result = CrmConnectionValidation.Validate("org-a", Dynamics with { TenantId = new string('t', 32_700), InstanceUrl = "https://attacker.example" });

        Assert.Equal(("tenantId", "too-long"), (result.Failure!.Field, result.Failure.Code));
    }
}
