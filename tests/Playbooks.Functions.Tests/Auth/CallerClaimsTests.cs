using System.Security.Claims;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Tests.Auth;

public sealed class CallerClaimsTests
{
    private static ClaimsPrincipal Principal(params (string Type, string Value)[] extra) =>
        new(new ClaimsIdentity(new[] { new Claim("oid", "user-1"), new Claim("org_id", "org-1") }
            .Concat(extra.Select(c => new Claim(c.Type, c.Value))), "test"));

    [Fact]
    public void Read_EmailClaimAndPreferredUsername_PrefersTheEmailClaim()
    {
        var reading = CallerClaims.Read(Principal(("preferred_username", "alias@contoso.com"), ("email", "Rita@Contoso.com")), new AuthOptions());

        Assert.Equal("Rita@Contoso.com", reading.Caller!.Email);
    }

    [Fact]
    public void Read_OnlyAUpn_UsesIt()
    {
        var reading = CallerClaims.Read(Principal(("upn", "rita@contoso.com")), new AuthOptions());

        Assert.Equal("rita@contoso.com", reading.Caller!.Email);
    }

    [Fact]
    public void Read_PreferredUsernameThatIsNoAddress_LeavesEmailEmpty()
    {
        var reading = CallerClaims.Read(Principal(("preferred_username", "rita")), new AuthOptions());

        Assert.Null(reading.Caller!.Email);
    }
}
