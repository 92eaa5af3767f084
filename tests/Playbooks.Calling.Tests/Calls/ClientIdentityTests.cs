using System.Text.RegularExpressions;
using CsCheck;
using Playbooks.Calling.Calls;

namespace Playbooks.Calling.Tests.Calls;

public partial class ClientIdentityTests
{
    // Letters, digits, the escape marker itself, separators seen in real ids, non-ASCII and a surrogate pair.
    private static readonly Gen<string> Ids =
        Gen.OneOf("a", "Z", "0", "9", "_", "-", ".", "@", ":", "|", "/", " ", "=", "+", "é", "ß", "\U0001F600")
            .Array[1, 24]
            .Select(string.Concat);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex TwilioIdentityCharacters();

    [Fact]
    public void Encode_AnyOrgAndUser_RoundTripsThroughTryDecode()
    {
        Gen.Select(Ids, Ids).Sample((org, user) =>
        {
            // Act
            var encoded = ClientIdentity.Encode(org, user);

            // Assert
            if (!encoded.IsSuccess)
            {
                return encoded.Failure!.Code == "identity-too-long";
            }

            return encoded.Value!.Length <= ClientIdentity.MaxLength
                && TwilioIdentityCharacters().IsMatch(encoded.Value)
                && ClientIdentity.TryDecode(encoded.Value, out var decodedOrg, out var decodedUser)
                && decodedOrg == org
                && decodedUser == user;
        }, iter: 2_000);
    }

    [Fact]
    public void TryDecode_ArbitraryText_NeverThrowsAndOnlyAcceptsCanonicalIdentities()
    {
        Gen.String[0, 60].Sample(text =>
        {
            // Act
            var decoded = ClientIdentity.TryDecode(text, out var org, out var user);

            // Assert: whatever decodes is exactly what encoding that pair gives.
            return !decoded || ClientIdentity.Encode(org!, user!).Value == text;
        }, iter: 2_000);
    }

    [Fact]
    public void Encode_GuidsFromEntraId_StaysReadableAndFits()
    {
        // Arrange
        const string org = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        const string user = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

        // Act
        var encoded = ClientIdentity.Encode(org, user);

        // Assert
        Assert.Equal("72f988bf_2D86f1_2D41af_2D91ab_2D2d7cd011db47__0a1b2c3d_2D4e5f_2D6789_2Dabcd_2Def0123456789", encoded.Value);
        Assert.True(encoded.Value!.Length <= ClientIdentity.MaxLength);
    }

    [Fact]
    public void Encode_UnderscoreInAnId_IsEscapedSoTheSeparatorStaysUnambiguous()
    {
        // Arrange / Act
        var a = ClientIdentity.Encode("org_", "_user");
        var b = ClientIdentity.Encode("org", "__user");

        // Assert
        Assert.Equal("org_5F___5Fuser", a.Value);
        Assert.NotEqual(a.Value, b.Value);
        Assert.True(ClientIdentity.TryDecode(a.Value, out var org, out var user));
        Assert.Equal(("org_", "_user"), (org, user));
    }

    [Fact]
    public void Encode_TooLongForTwilio_Fails()
    {
        // Arrange
        var org = new string('o', 60);
        var user = new string('u', 60);

        // Act
        var encoded = ClientIdentity.Encode(org, user);

        // Assert
        Assert.Equal("identity-too-long", encoded.Failure?.Code);
    }

    [Fact]
    public void Encode_LongestThatFits_Succeeds()
    {
        // Arrange: 59 + 2 separator + 60 = 121.
        var encoded = ClientIdentity.Encode(new string('o', 59), new string('u', 60));

        // Assert
        Assert.Equal(ClientIdentity.MaxLength, encoded.Value?.Length);
    }

    [Theory]
    [InlineData("", "user")]
    [InlineData("org", "")]
    public void Encode_EmptyPart_Fails(string org, string user)
    {
        // Act
        var encoded = ClientIdentity.Encode(org, user);

        // Assert
        Assert.Equal("identity-incomplete", encoded.Failure?.Code);
    }

    [Fact]
    public void Encode_LoneSurrogate_FailsInsteadOfLosingTheCharacter()
    {
        // Act
        var encoded = ClientIdentity.Encode("org", "user\uD800");

        // Assert
        Assert.Equal("identity-invalid", encoded.Failure?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("orguser")]
    [InlineData("__user")]
    [InlineData("org__")]
    [InlineData("org_2d__user")]
    [InlineData("org_2__user")]
    [InlineData("org-x__user")]
    [InlineData("org_41__user")]
    [InlineData("org_FF__user")]
    public void TryDecode_NotACanonicalIdentity_ReturnsFalse(string? identity)
    {
        // Act
        var decoded = ClientIdentity.TryDecode(identity, out var org, out var user);

        // Assert
        Assert.False(decoded);
        Assert.Null(org);
        Assert.Null(user);
    }
}
