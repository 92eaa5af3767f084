using System.Text.RegularExpressions;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSecretNamesTests
{
    [Theory]
    [InlineData("org-a", "crm-org-a-client-secret")]
    [InlineData("acme-demo", "crm-acme-demo-client-secret")]
    [InlineData("e2e-0123456789abcdef0123", "crm-e2e-0123456789abcdef0123-client-secret")]
    public void ClientSecret_PlainOrgId_UsedAsIs(string orgId, string expected) =>
        Assert.Equal(expected, CrmSecretNames.ClientSecret(orgId));

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme_demo")]
    [InlineData("acme--demo")]
    [InlineData("-acme")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47|sales")]
    [InlineData("ünïcode org")]
    [InlineData("___")]
    public void ClientSecret_OtherOrgId_AValidKeyVaultNameWithAHash(string orgId)
    {
        var name = CrmSecretNames.ClientSecret(orgId);

        Assert.Matches("^crm-[a-z0-9-]+--[0-9a-f]{20}-client-secret$", name);
        Assert.True(name.Length <= 127);
    }

    [Fact]
    public void ClientSecret_LongOrgId_StaysWithinKeyVaultsLimit()
    {
        var name = CrmSecretNames.ClientSecret(new string('a', 1000));

        Assert.Matches("^[0-9A-Za-z-]{1,127}$", name);
    }

    [Fact]
    public void ClientSecret_IdsDifferingOnlyInCaseOrPunctuation_NeverShareAName()
    {
        string[] ids = ["acme", "Acme", "ACME", "acme_", "acme.", "acme-", "acme--x", "acme-x", "acme_x", "acme.x", "acme x", new string('a', 200), new string('a', 201)];

        var names = ids.Select(CrmSecretNames.ClientSecret).ToList();

        Assert.Equal(ids.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ClientSecret_SameOrg_SameNameEveryTime() =>
        Assert.Equal(CrmSecretNames.ClientSecret("Contoso Ltd"), CrmSecretNames.ClientSecret("Contoso Ltd"));

    [Fact]
    public void ClientSecret_NeverAnAppSecret() =>
        Assert.DoesNotMatch(new Regex("^twilio"), CrmSecretNames.ClientSecret("twilio-auth-token"));
}
