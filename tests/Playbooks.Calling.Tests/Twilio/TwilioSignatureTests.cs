using System.Security.Cryptography;
using System.Text;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Tests.Twilio;

public class TwilioSignatureTests
{
    // The worked example from Twilio's webhook-security docs: auth token 12345, this URL and form, this signature.
    private const string DocumentedSignature = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

    private static readonly Dictionary<string, string> DocumentedForm = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675310",
        ["Digits"] = "1234",
        ["From"] = "+14158675310",
        ["To"] = "+18005551212",
    };

    private static TwilioSignature Create(string publicBaseUrl = "https://mycompany.com", string authToken = "12345") =>
        new(TestTwilioOptions.Wrap(o =>
        {
            o.PublicBaseUrl = publicBaseUrl;
            o.AuthToken = authToken;
        }));

    [Fact]
    public void IsValid_TwiliosDocumentedExample_ReturnsTrue()
    {
        // Arrange
        var signature = Create();

        // Act
        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, DocumentedSignature);

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [InlineData("/myapp.php?foo=1&bar=3")]
    [InlineData("/myapp.php?foo=1")]
    [InlineData("/other.php?foo=1&bar=2")]
    public void IsValid_TamperedPathOrQuery_ReturnsFalse(string pathAndQuery)
    {
        // Arrange
        var signature = Create();

        // Act
        var valid = signature.IsValid(pathAndQuery, DocumentedForm, DocumentedSignature);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_TamperedParameter_ReturnsFalse()
    {
        // Arrange
        var signature = Create();
        var form = new Dictionary<string, string>(DocumentedForm) { ["To"] = "+19005551212" };

        // Act
        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", form, DocumentedSignature);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_AddedParameter_ReturnsFalse()
    {
        // Arrange
        var signature = Create();
        var form = new Dictionary<string, string>(DocumentedForm) { ["intent"] = "forged" };

        // Act
        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", form, DocumentedSignature);

        // Assert
        Assert.False(valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void IsValid_MissingHeader_ReturnsFalse(string? header)
    {
        // Arrange
        var signature = Create();

        // Act
        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, header);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_WrongAuthToken_ReturnsFalse()
    {
        // Arrange
        var signature = Create(authToken: "54321");

        // Act
        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, DocumentedSignature);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_SignatureForTheInternalHostBehindTheProxy_ReturnsFalse()
    {
        // Arrange: a request signed for the host the app sees, not the public one Twilio called.
        var signature = Create(publicBaseUrl: "https://calls.playbooks.example");
        var form = new Dictionary<string, string> { ["CallSid"] = "CA1", ["CallStatus"] = "ringing" };
        var internalSignature = Sign("12345", "http://10.0.0.4:8080/api/twilio/status?org=o1", form);

        // Act
        var valid = signature.IsValid("/api/twilio/status?org=o1", form, internalSignature);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_RequestArrivedAtAnInternalHost_ChecksAgainstThePublicBaseUrl()
    {
        // Arrange: Twilio signed the public URL; the app only knows the path and query it received.
        var signature = Create(publicBaseUrl: "https://calls.playbooks.example/");
        var form = new Dictionary<string, string> { ["CallSid"] = "CA1", ["CallStatus"] = "ringing" };
        var twilioSignature = Sign("12345", "https://calls.playbooks.example/api/twilio/status?org=o1&user=u%2B1", form);

        // Act
        var valid = signature.IsValid("/api/twilio/status?org=o1&user=u%2B1", form, twilioSignature);

        // Assert
        Assert.True(valid);
    }

    [Fact]
    public void IsValid_PublicBaseUrlWithPathPrefix_KeepsThePrefix()
    {
        // Arrange
        var signature = Create(publicBaseUrl: "https://gateway.example/calling");
        var form = new Dictionary<string, string> { ["CallSid"] = "CA1" };
        var twilioSignature = Sign("12345", "https://gateway.example/calling/api/twilio/voice", form);

        // Act
        var valid = signature.IsValid("/api/twilio/voice", form, twilioSignature);

        // Assert
        Assert.True(valid);
    }

    // Twilio's documented algorithm, written out so the cases above don't depend on the code under test.
    private static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
