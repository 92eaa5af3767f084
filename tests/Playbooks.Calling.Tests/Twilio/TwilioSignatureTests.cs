using System.Security.Cryptography;
using System.Text;
using CsCheck;
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

    [Theory]
    [InlineData("https://mycompany.com", "https://mycompany.com:443/myapp.php?foo=1&bar=2")]
    [InlineData("http://localhost:7071", "http://localhost/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com:443", "https://mycompany.com/myapp.php?foo=1&bar=2")]
    public void IsValid_SignedForTheUrlWithOrWithoutItsPort_ReturnsTrue(string publicBaseUrl, string signedUrl)
    {
        var signature = Create(publicBaseUrl);

        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, Sign("12345", signedUrl, DocumentedForm));

        Assert.True(valid);
    }

    [Fact]
    public void IsValid_SignedForAnotherPort_ReturnsFalse()
    {
        var signature = Create("http://localhost:7071");

        var valid = signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, Sign("12345", "http://localhost:7072/myapp.php?foo=1&bar=2", DocumentedForm));

        Assert.False(valid);
    }

    [Fact]
    public void IsValid_RandomFormsAndSignatures_AgreesWithTwiliosRequestValidator()
    {
        var names = Gen.OneOf("CallSid", "CallStatus", "From", "To", "Digits", "callsid", "Caller", "SequenceNumber", "Timestamp");
        var text = Gen.String[Gen.Char.AlphaNumeric, 0, 12];
        var gen = Gen.Select(
            Gen.Dictionary(names, Gen.OneOf(text, Gen.String[0, 8]))[0, 8],
            Gen.OneOf("https://mycompany.com", "https://mycompany.com:443", "http://localhost:7071", "http://127.0.0.1"),
            Gen.OneOf("/api/twilio/status", "/api/twilio/status?org=o1&user=u%2B1"),
            Gen.Bool,
            Gen.OneOf("12345", "54321"));

        gen.Sample((form, baseUrl, pathAndQuery, genuine, signingToken) =>
        {
            var url = baseUrl + pathAndQuery;
            var header = genuine ? Sign(signingToken, url, form) : Sign(signingToken, url + "x", form);
            var twilio = new global::Twilio.Security.RequestValidator("12345").Validate(url, new Dictionary<string, string>(form), header);

            Assert.Equal(twilio, Create(baseUrl).IsValid(pathAndQuery, form, header));
        }, iter: 2_000);
    }

    [Fact]
    public void IsValid_ManyRequestsAtOnce_EachCheckedOnItsOwn()
    {
        // One instance serves every request; checks running in parallel must not disturb each other.
        var signature = Create();
        var forged = Sign("54321", "https://mycompany.com/myapp.php?foo=1&bar=2", DocumentedForm);
        var wrong = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var genuine = i % 2 == 0;
            if (signature.IsValid("/myapp.php?foo=1&bar=2", DocumentedForm, genuine ? DocumentedSignature : forged) != genuine)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
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
