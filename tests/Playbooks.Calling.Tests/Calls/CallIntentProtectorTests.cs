using System.Text.RegularExpressions;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public partial class CallIntentProtectorTests
{
    private static readonly DateTimeOffset IssuedAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static readonly CallIntentData Intent = new("org-1", "user-1", "+12015550123", "00Q5e00000ABCdE", IssuedAt);

    private static CallIntentProtector Create(string authToken = "auth-token-one") =>
        new(TestTwilioOptions.Wrap(o => o.AuthToken = authToken));

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex UrlSafe();

    [Fact]
    public void Unprotect_WhatWasProtected_ReturnsTheSameIntent()
    {
        // Arrange
        var protector = Create();

        // Act
        var result = protector.Unprotect(protector.Protect(Intent), IssuedAt.AddMinutes(1));

        // Assert
        Assert.Equal(Intent, result.Value);
    }

    [Fact]
    public void Unprotect_IntentWithoutWhoIdAndWithUnicode_RoundTrips()
    {
        // Arrange
        var protector = Create();
        var intent = Intent with { UserId = "josé@example.com", WhoId = null };

        // Act
        var result = protector.Unprotect(protector.Protect(intent), IssuedAt);

        // Assert
        Assert.Equal(intent, result.Value);
    }

    [Fact]
    public void Protect_Intent_IsSafeInAUrlQueryWithoutEscaping()
    {
        // Act
        var token = Create().Protect(Intent);

        // Assert
        Assert.Matches(UrlSafe(), token);
    }

    [Fact]
    public void Unprotect_ChangedProspectNumber_IsRejected()
    {
        // Arrange: a user takes a valid intent and re-encodes it with a premium-rate number.
        var protector = Create();
        var token = protector.Protect(Intent);
        var mac = token[(token.IndexOf('.') + 1)..];
        var forgedPayload = protector.Protect(Intent with { ProspectNumber = "+19005550100" }).Split('.')[0];

        // Act
        var result = protector.Unprotect(forgedPayload + "." + mac, IssuedAt);

        // Assert
        Assert.Equal("intent-invalid", result.Failure?.Code);
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
    }

    [Fact]
    public void Unprotect_FlippedCharacterInTheSignature_IsRejected()
    {
        // Arrange
        var protector = Create();
        var token = protector.Protect(Intent);
        var flipped = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        // Act
        var result = protector.Unprotect(flipped, IssuedAt);

        // Assert
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void Unprotect_SealedWithAnotherKey_IsRejected()
    {
        // Arrange
        var token = Create("auth-token-one").Protect(Intent);

        // Act
        var result = Create("auth-token-two").Unprotect(token, IssuedAt);

        // Assert
        Assert.Equal("intent-invalid", result.Failure?.Code);
    }

    [Fact]
    public void Unprotect_OlderThanTenMinutes_IsExpired()
    {
        // Arrange
        var protector = Create();
        var token = protector.Protect(Intent);

        // Act
        var result = protector.Unprotect(token, IssuedAt.AddMinutes(10).AddSeconds(1));

        // Assert
        Assert.Equal("intent-expired", result.Failure?.Code);
    }

    [Fact]
    public void Unprotect_ExactlyTenMinutesOld_IsStillAccepted()
    {
        // Arrange
        var protector = Create();
        var token = protector.Protect(Intent);

        // Act
        var result = protector.Unprotect(token, IssuedAt.AddMinutes(10));

        // Assert
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Unprotect_IssuedFarInTheFuture_IsRejected()
    {
        // Arrange
        var protector = Create();
        var token = protector.Protect(Intent with { IssuedAt = IssuedAt.AddHours(1) });

        // Act
        var result = protector.Unprotect(token, IssuedAt);

        // Assert
        Assert.Equal("intent-expired", result.Failure?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".abc")]
    [InlineData("abc.")]
    [InlineData("a.b.c")]
    [InlineData("!!!.###")]
    public void Unprotect_NotAnIntent_IsMalformed(string? token)
    {
        // Act
        var result = Create().Unprotect(token, IssuedAt);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Contains(result.Failure?.Code, new[] { "intent-malformed", "intent-invalid" });
    }
}
