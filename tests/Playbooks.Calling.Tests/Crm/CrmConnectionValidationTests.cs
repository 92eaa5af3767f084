using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmConnectionValidationTests
{
    private static CrmConnectionInput Salesforce => new()
    {
        Provider = "salesforce", InstanceUrl = "https://acme.my.salesforce.com/", ClientId = "3MVG9key", ClientSecretName = "acme-sf-secret",
    };

    private static CrmConnectionInput Dynamics => new()
    {
        Provider = "dynamics", InstanceUrl = "https://acme.crm.dynamics.com", TenantId = "contoso.onmicrosoft.com",
        ClientId = "11111111-2222-3333-4444-555555555555", ClientSecretName = "acme-d365-secret",
    };

    [Fact]
    public void Validate_Salesforce_NormalisesUrlAndDropsTenant()
    {
        var result = CrmConnectionValidation.Validate("org-a", Salesforce with { TenantId = "ignored" });

        Assert.Equal(CrmProvider.Salesforce, result.Value!.Provider);
        Assert.Equal("https://acme.my.salesforce.com", result.Value.InstanceUrl);
        Assert.Null(result.Value.TenantId);
        Assert.Equal("acme-sf-secret", result.Value.ClientSecretName);
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
        { Salesforce with { ClientSecretName = "has spaces" }, "clientSecretName" },
        { Salesforce with { ClientSecretName = null }, "clientSecretName" },
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
    public void Validate_LocalStubOverHttp_Accepted() =>
        Assert.True(CrmConnectionValidation.Validate("org-a", Salesforce with { InstanceUrl = "http://localhost:5123" }).IsSuccess);
}
