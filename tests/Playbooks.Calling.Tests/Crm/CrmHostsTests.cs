using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmHostsTests
{
    public static TheoryData<CrmProvider, string> Allowed() => new()
    {
        { CrmProvider.Salesforce, "https://acme.my.salesforce.com" },
        { CrmProvider.Salesforce, "https://ACME.My.Salesforce.com/" },
        { CrmProvider.Salesforce, "https://acme--dev.sandbox.my.salesforce.com" },
        { CrmProvider.Salesforce, "https://login.salesforce.com" },
        { CrmProvider.Salesforce, "https://test.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.my.salesforce.com:443" },
        { CrmProvider.Dynamics, "https://acme.crm.dynamics.com" },
        { CrmProvider.Dynamics, "https://acme.crm4.dynamics.com" },
        { CrmProvider.Dynamics, "https://acme.api.crm.dynamics.com" },
    };

    public static TheoryData<CrmProvider, string> Refused() => new()
    {
        { CrmProvider.Salesforce, "https://attacker.example" },
        { CrmProvider.Salesforce, "https://my.salesforce.com" },
        { CrmProvider.Salesforce, "https://salesforce.com" },
        { CrmProvider.Salesforce, "https://evil.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.my.salesforce.com.attacker.example" },
        { CrmProvider.Salesforce, "https://acmemy.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.evil-my.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.my.salesforce.com:8443" },
        { CrmProvider.Salesforce, "https://user:pw@acme.my.salesforce.com" },
        { CrmProvider.Salesforce, "https://attacker.example@acme.my.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.my.salesforce.com./" },
        { CrmProvider.Salesforce, "http://acme.my.salesforce.com" },
        { CrmProvider.Salesforce, "ftp://acme.my.salesforce.com" },
        { CrmProvider.Salesforce, "https://acme.crm.dynamics.com" },
        { CrmProvider.Dynamics, "https://dynamics.com" },
        { CrmProvider.Dynamics, "https://evil-dynamics.com" },
        { CrmProvider.Dynamics, "https://x.evil-dynamics.com" },
        { CrmProvider.Dynamics, "https://x.dynamics.com.attacker.example" },
        { CrmProvider.Dynamics, "https://x.dynamics.co" },
        { CrmProvider.Dynamics, "https://x.dynamics.com:444" },
        { CrmProvider.Dynamics, "https://20.190.160.1" },
        { CrmProvider.Dynamics, "https://[2001:db8::1]" },
        { CrmProvider.Dynamics, "https://127.0.0.1" },
        { CrmProvider.Dynamics, "https://x_y.dynamics.com" },
        { CrmProvider.Dynamics, "https://xn--dynmics-bxa.com" },
        { CrmProvider.Dynamics, "https://acme.my.salesforce.com" },
        { CrmProvider.None, "https://acme.crm.dynamics.com" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void AllowedBaseUrl_ProvidersOwnHost_Accepted(CrmProvider provider, string url) =>
        Assert.NotNull(CrmHosts.AllowedBaseUrl(provider, url, allowLoopbackHttp: false));

    [Theory]
    [MemberData(nameof(Refused))]
    public void AllowedBaseUrl_AnyOtherHost_Refused(CrmProvider provider, string url)
    {
        Assert.Null(CrmHosts.AllowedBaseUrl(provider, url, allowLoopbackHttp: false));
        Assert.Null(CrmHosts.AllowedBaseUrl(provider, url, allowLoopbackHttp: true));
    }

    [Fact]
    public void AllowedBaseUrl_Accepted_NormalisedToSchemeAndHost() =>
        Assert.Equal("https://acme.my.salesforce.com", CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, " https://ACME.my.salesforce.com:443/ ", false));

    [Theory]
    [InlineData("https://acme.my.salesforce.com/services")]
    [InlineData("https://acme.my.salesforce.com/?x=1")]
    [InlineData("https://acme.my.salesforce.com/#x")]
    [InlineData("not a url")]
    [InlineData("")]
    [InlineData(null)]
    public void AllowedBaseUrl_NotABaseUrl_Refused(string? url) =>
        Assert.Null(CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, url, true));

    [Fact]
    public void AllowedBaseUrl_TooLong_Refused() =>
        Assert.Null(CrmHosts.AllowedBaseUrl(CrmProvider.Dynamics, $"https://{new string('a', 60)}.{new string('b', 60)}.{new string('c', 60)}.{new string('d', 60)}.{new string('e', 60)}.dynamics.com", false));

    [Theory]
    [InlineData("http://127.0.0.1:5123")]
    [InlineData("http://localhost:5123")]
    [InlineData("http://[::1]:5123")]
    public void AllowedBaseUrl_LoopbackHttp_OnlyWhenAllowed(string url)
    {
        Assert.Null(CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, url, allowLoopbackHttp: false));
        Assert.Equal(url, CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, url, allowLoopbackHttp: true));
        Assert.Equal(url, CrmHosts.AllowedBaseUrl(CrmProvider.Dynamics, url, allowLoopbackHttp: true));
    }

    [Theory]
    [InlineData("http://10.0.0.5:80")]
    [InlineData("http://169.254.169.254")]
    [InlineData("http://attacker.example")]
    [InlineData("http://localhost.attacker.example")]
    public void AllowedBaseUrl_NonLoopbackHttp_RefusedEvenWhenLoopbackAllowed(string url) =>
        Assert.Null(CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, url, allowLoopbackHttp: true));
}
