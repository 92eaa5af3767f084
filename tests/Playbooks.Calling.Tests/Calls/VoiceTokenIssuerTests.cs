using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public class VoiceTokenIssuerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private sealed record DecodedJwt(JsonElement Header, JsonElement Payload, string SigningInput, byte[] Signature);

    private static DecodedJwt Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return new DecodedJwt(
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement,
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement,
            parts[0] + "." + parts[1],
            Base64Url.DecodeFromChars(parts[2]));
    }

    [Fact]
    public void Issue_ValidUser_SignsWithTheApiKeySecretUsingHs256()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        var jwt = Decode(token.Token);
        Assert.Equal("HS256", jwt.Header.GetProperty("alg").GetString());
        Assert.Equal("twilio-fpa;v=1", jwt.Header.GetProperty("cty").GetString());
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestTwilioOptions.ApiKeySecret), Encoding.ASCII.GetBytes(jwt.SigningInput));
        Assert.Equal(expected, jwt.Signature);
    }

    [Fact]
    public void Issue_ValidUser_IssuedByTheApiKeyForTheAccount()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        var payload = Decode(token.Token).Payload;
        Assert.Equal(TestTwilioOptions.ApiKeySid, payload.GetProperty("iss").GetString());
        Assert.Equal(TestTwilioOptions.AccountSid, payload.GetProperty("sub").GetString());
    }

    [Fact]
    public void Issue_ValidUser_GrantsOutgoingCallsThroughTheTwimlAppOnly()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        var grants = Decode(token.Token).Payload.GetProperty("grants");
        var voice = grants.GetProperty("voice");
        Assert.Equal(TestTwilioOptions.TwimlAppSid, voice.GetProperty("outgoing").GetProperty("application_sid").GetString());
        Assert.False(voice.TryGetProperty("incoming", out _), "the token must not let the browser receive calls");
        Assert.Equal(2, grants.EnumerateObject().Count());
    }

    [Fact]
    public void Issue_ValidUser_IdentityEncodesOrgAndUser()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var token = issuer.Issue("org-1", "user@example.com", Now).Value!;

        // Assert
        var identity = Decode(token.Token).Payload.GetProperty("grants").GetProperty("identity").GetString();
        Assert.Equal(token.Identity, identity);
        Assert.True(ClientIdentity.TryDecode(identity, out var org, out var user));
        Assert.Equal(("org-1", "user@example.com"), (org, user));
    }

    [Fact]
    public void Issue_DefaultLifetime_ExpiresTenMinutesAfterNow()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        var payload = Decode(token.Token).Payload;
        Assert.Equal(Now.AddMinutes(10), token.ExpiresAt);
        Assert.Equal(Now.AddMinutes(10).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public void Issue_ConfiguredLifetime_IsUsed()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap(o => o.TokenLifetime = TimeSpan.FromMinutes(3)));

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        Assert.Equal(Now.AddMinutes(3).ToUnixTimeSeconds(), Decode(token.Token).Payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Issue_LifetimeConfiguredAboveOneHour_IsCappedAtOneHour()
    {
        // Arrange: validation rejects this at start; the issuer still never exceeds the cap.
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap(o => o.TokenLifetime = TimeSpan.FromHours(5)));

        // Act
        var token = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        Assert.Equal(Now.AddHours(1), token.ExpiresAt);
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds(), Decode(token.Token).Payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Issue_IdsTooLongForAnIdentity_Fails()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());

        // Act
        var result = issuer.Issue(new string('o', 80), new string('u', 80), Now);

        // Assert
        Assert.Equal("identity-too-long", result.Failure?.Code);
    }

    [Fact]
    public void Issue_SameUserAgainWithinFiveSeconds_HandsOutTheSameTokenWithItsOwnExpiry()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());
        var first = issuer.Issue("org-1", "user-1", Now).Value!;

        // Act
        var again = issuer.Issue("org-1", "user-1", Now.AddSeconds(4.9)).Value!;

        // Assert: the expiry told is the token's exp claim, not a fresh lifetime
        Assert.Equal(first.Token, again.Token);
        Assert.Equal(Now.AddMinutes(10), again.ExpiresAt);
        Assert.Equal(again.ExpiresAt.ToUnixTimeSeconds(), Decode(again.Token).Payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Issue_SameUserFiveSecondsLater_MintsANewToken()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());
        var first = issuer.Issue("org-1", "user-1", Now).Value!;

        // Act
        var later = issuer.Issue("org-1", "user-1", Now.AddSeconds(5)).Value!;

        // Assert
        Assert.NotEqual(first.Token, later.Token);
        Assert.Equal(Now.AddSeconds(5).AddMinutes(10), later.ExpiresAt);
        Assert.Equal(Now.AddSeconds(5).ToUnixTimeSeconds(), Decode(later.Token).Payload.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public void Issue_ReuseWindowZero_MintsEveryTime()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap(o => o.TokenReuseWindow = TimeSpan.Zero));
        issuer.Issue("org-1", "user-1", Now);

        // Act
        var again = issuer.Issue("org-1", "user-1", Now.AddSeconds(1)).Value!;

        // Assert
        Assert.Equal(Now.AddSeconds(1).AddMinutes(10), again.ExpiresAt);
    }

    [Fact]
    public void Issue_AnotherUserWithinTheWindow_GetsATokenForItsOwnIdentity()
    {
        // Arrange
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());
        var first = issuer.Issue("org-1", "user-1", Now).Value!;

        // Act
        var other = issuer.Issue("org-1", "user-2", Now.AddSeconds(1)).Value!;

        // Assert
        Assert.NotEqual(first.Identity, other.Identity);
        Assert.Equal(other.Identity, Decode(other.Token).Payload.GetProperty("grants").GetProperty("identity").GetString());
    }

    [Fact]
    public void IssuePreflight_SameUserWithinTheWindowOfAVoiceToken_GrantsThePreflightAppOnly()
    {
        // Arrange
        const string preflightApp = "AP00000000000000000000000000000001";
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap(o => o.PreflightTwimlAppSid = preflightApp));
        issuer.Issue("org-1", "user-1", Now);

        // Act
        var preflight = issuer.IssuePreflight("org-1", "user-1", Now.AddSeconds(1)).Value!;

        // Assert
        var voice = Decode(preflight.Token).Payload.GetProperty("grants").GetProperty("voice");
        Assert.Equal(preflightApp, voice.GetProperty("outgoing").GetProperty("application_sid").GetString());
    }

    [Fact]
    public void Issue_ClockBeforeTheKeptTokensIssue_MintsANewToken()
    {
        // Arrange: another request's clock reading came later than this one's
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap());
        issuer.Issue("org-1", "user-1", Now.AddSeconds(2));

        // Act
        var earlier = issuer.Issue("org-1", "user-1", Now).Value!;

        // Assert
        Assert.Equal(Now.ToUnixTimeSeconds(), Decode(earlier.Token).Payload.GetProperty("nbf").GetInt64());
    }
}
