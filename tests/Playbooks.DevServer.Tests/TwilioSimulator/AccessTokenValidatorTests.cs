using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;
using Playbooks.DevServer.TwilioSimulator;
using Twilio.Jwt.AccessToken;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

public sealed class AccessTokenValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly TwilioOptions Settings = SimulatorSettings.Twilio("http://localhost:7071");
    private readonly AccessTokenValidator _validator = new(Settings);

    [Fact]
    public void Validate_TokenFromOurIssuer_ReturnsItsIdentity()
    {
        var token = new VoiceTokenIssuer(Options.Create(Settings)).Issue("acme-demo", "rep-both", Now).Value!;

        var (identity, rejection) = _validator.Validate(token.Token, Now);

        Assert.Null(rejection);
        Assert.Equal("acme_2Ddemo__rep_2Dboth", identity!.Identity);
        Assert.Equal(token.ExpiresAt, identity.ExpiresAt);
    }

    [Fact]
    public void Validate_SignedWithAnotherSecret_Returns401SignatureInvalid()
    {
        var token = Mint(secret: "another-api-key-secret-of-32-characters!!");

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((401, "token-signature-invalid", 20107), (rejection!.Status, rejection.Code, rejection.TwilioCode));
    }

    [Fact]
    public void Validate_TamperedPayload_Returns401SignatureInvalid()
    {
        var parts = Mint().Split('.');
        var other = Mint(app: "AP11111111111111111111111111111111").Split('.');

        var (_, rejection) = _validator.Validate($"{parts[0]}.{other[1]}.{parts[2]}", Now);

        Assert.Equal("token-signature-invalid", rejection!.Code);
    }

    [Fact]
    public void Validate_Expired_Returns401Expired()
    {
        var token = Mint(expires: Now.AddSeconds(-1), notBefore: Now.AddMinutes(-10));

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((401, "token-expired", 20104), (rejection!.Status, rejection.Code, rejection.TwilioCode));
    }

    [Fact]
    public void Validate_NotYetValid_Returns401NotYetValid()
    {
        var token = Mint(expires: Now.AddMinutes(20), notBefore: Now.AddMinutes(5));

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal("token-not-yet-valid", rejection!.Code);
    }

    [Fact]
    public void Validate_GrantForAnotherTwimlApp_Returns403GrantInvalid()
    {
        var token = Mint(app: "AP11111111111111111111111111111111");

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((403, "token-grant-invalid", 20106), (rejection!.Status, rejection.Code, rejection.TwilioCode));
    }

    [Fact]
    public void Validate_NoVoiceGrant_Returns403GrantInvalid()
    {
        var token = new Token(Settings.AccountSid, Settings.ApiKeySid, Settings.ApiKeySecret, identity: "someone",
            expiration: Now.AddMinutes(10).UtcDateTime, grants: [new VideoGrant()]).ToJwt();

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal("token-grant-invalid", rejection!.Code);
    }

    [Fact]
    public void Validate_IssuedByAnotherApiKey_Returns401IssuerInvalid()
    {
        var token = Mint(issuer: "SK11111111111111111111111111111111");

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((401, "token-issuer-invalid", 20103), (rejection!.Status, rejection.Code, rejection.TwilioCode));
    }

    [Fact]
    public void Validate_AnotherAccount_Returns401SubjectInvalid()
    {
        var token = Mint(account: "AC11111111111111111111111111111111");

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal("token-subject-invalid", rejection!.Code);
    }

    [Fact]
    public void Validate_NoIdentity_Returns403IdentityMissing()
    {
        var token = Mint(identity: null);

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((403, "token-identity-missing"), (rejection!.Status, rejection.Code));
    }

    [Fact]
    public void Validate_LivesLongerThan24Hours_Returns401()
    {
        var token = Mint(expires: Now.AddHours(25), notBefore: Now.AddMinutes(-1));

        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal("token-lifetime-too-long", rejection!.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public void Validate_NotAJwt_Returns401Malformed(string? token)
    {
        var (_, rejection) = _validator.Validate(token, Now);

        Assert.Equal((401, "token-malformed"), (rejection!.Status, rejection.Code));
    }

    private static string Mint(
        string? secret = null, string? issuer = null, string? account = null, string? app = null, string? identity = "acme_2Ddemo__rep_2Dboth",
        DateTimeOffset? expires = null, DateTimeOffset? notBefore = null) =>
        new Token(
            account ?? Settings.AccountSid,
            issuer ?? Settings.ApiKeySid,
            secret ?? Settings.ApiKeySecret,
            identity: identity,
            expiration: (expires ?? Now.AddMinutes(10)).UtcDateTime,
            nbf: (notBefore ?? Now.AddSeconds(-5)).UtcDateTime,
            grants: [new VoiceGrant { OutgoingApplicationSid = app ?? Settings.TwimlAppSid }]).ToJwt();
}
