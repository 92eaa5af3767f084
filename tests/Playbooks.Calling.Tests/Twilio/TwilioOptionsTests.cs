using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Tests.Twilio;

public class TwilioOptionsTests
{
    private static List<ValidationResult> Validate(TwilioOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_CompleteSettings_HasNoErrors()
    {
        // Arrange
        var options = TestTwilioOptions.Create();

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TokenLifetime);
        Assert.Equal(10, options.TokenRequestsPerMinute);
    }

    [Theory]
    [InlineData(nameof(TwilioOptions.AccountSid))]
    [InlineData(nameof(TwilioOptions.ApiKeySid))]
    [InlineData(nameof(TwilioOptions.ApiKeySecret))]
    [InlineData(nameof(TwilioOptions.AuthToken))]
    [InlineData(nameof(TwilioOptions.TwimlAppSid))]
    [InlineData(nameof(TwilioOptions.PublicBaseUrl))]
    public void Validate_MissingRequiredSetting_NamesTheSetting(string property)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => typeof(TwilioOptions).GetProperty(property)!.SetValue(o, ""));

        // Act
        var errors = Validate(options);

        // Assert
        var error = Assert.Single(errors);
        Assert.Contains($"Twilio:{property}", error.ErrorMessage);
    }

    [Theory]
    [InlineData("http://calls.playbooks.example")]
    [InlineData("calls.playbooks.example")]
    [InlineData("https://calls.playbooks.example/?x=1")]
    public void Validate_PublicBaseUrlNotHttpsOrLocal_Fails(string url)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.PublicBaseUrl = url);

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TwilioOptions.PublicBaseUrl)));
    }

    [Theory]
    [InlineData("http://localhost:7071")]
    [InlineData("http://127.0.0.1:7071/prefix")]
    [InlineData("https://calls.playbooks.example/prefix")]
    public void Validate_HttpsOrLoopbackBaseUrl_Passes(string url)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.PublicBaseUrl = url);

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(0, 59)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void Validate_TokenLifetimeOutsideOneMinuteToOneHour_Fails(int hours, int seconds)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.TokenLifetime = new TimeSpan(hours, 0, seconds));

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TwilioOptions.TokenLifetime)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5001)]
    public void Validate_TokenReuseWindowOutsideZeroToFiveSeconds_Fails(int milliseconds)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.TokenReuseWindow = TimeSpan.FromMilliseconds(milliseconds));

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TwilioOptions.TokenReuseWindow)) && e.ErrorMessage!.Contains("Twilio:TokenReuseWindow"));
    }

    [Fact]
    public void Validate_ShortApiKeySecret_FailsBecauseHs256NeedsThirtyTwoBytes()
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.ApiKeySecret = "too-short");

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Twilio:ApiKeySecret"));
    }

    [Theory]
    [InlineData(nameof(TwilioOptions.AccountSid), TestTwilioOptions.ApiKeySid)]
    [InlineData(nameof(TwilioOptions.ApiKeySid), TestTwilioOptions.AccountSid)]
    [InlineData(nameof(TwilioOptions.TwimlAppSid), TestTwilioOptions.AccountSid)]
    [InlineData(nameof(TwilioOptions.PreflightTwimlAppSid), TestTwilioOptions.AccountSid)]
    [InlineData(nameof(TwilioOptions.PreflightTwimlAppSid), TestTwilioOptions.TwimlAppSid)]
    public void Validate_SidOfTheWrongKind_Fails(string property, string value)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => typeof(TwilioOptions).GetProperty(property)!.SetValue(o, value));

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(property));
    }

    [Theory]
    [InlineData("4155550100")]
    [InlineData("+0155550100")]
    public void Validate_DefaultCallerIdNotE164_Fails(string callerId)
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.DefaultCallerId = callerId);

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TwilioOptions.DefaultCallerId)));
    }

    [Fact]
    public void Validate_RestApiBaseUrlNotAbsolute_Fails()
    {
        // Arrange
        var options = TestTwilioOptions.Create(o => o.RestApiBaseUrl = "/sim");

        // Act
        var errors = Validate(options);

        // Assert
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TwilioOptions.RestApiBaseUrl)));
    }

    [Fact]
    public void AddPlaybooksTwilio_MissingAuthToken_FailsNamingTheSetting()
    {
        // Arrange
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(without: "AuthToken")).Build();
        using var provider = new ServiceCollection().AddPlaybooksTwilio(configuration).BuildServiceProvider();

        // Act
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TwilioOptions>>().Value);

        // Assert
        Assert.Contains("Twilio:AuthToken", ex.Message);
    }

    [Fact]
    public void AddPlaybooksTwilio_ValidSettings_BindsAndResolvesTheCallingCore()
    {
        // Arrange
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        using var provider = new ServiceCollection().AddLogging().AddPlaybooksTwilio(configuration).BuildServiceProvider();

        // Act
        var options = provider.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var restClient = provider.GetRequiredService<global::Twilio.Clients.ITwilioRestClient>();
        var gateway = provider.GetRequiredService<Playbooks.Calling.Calls.TwilioCallGateway>();

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(5), options.TokenLifetime);
        Assert.Equal(TestTwilioOptions.AccountSid, restClient.AccountSid);
        Assert.NotNull(gateway);
    }

    private static Dictionary<string, string?> Settings(string? without = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = TestTwilioOptions.AccountSid,
            ["Twilio:ApiKeySid"] = TestTwilioOptions.ApiKeySid,
            ["Twilio:ApiKeySecret"] = TestTwilioOptions.ApiKeySecret,
            ["Twilio:AuthToken"] = TestTwilioOptions.AuthToken,
            ["Twilio:TwimlAppSid"] = TestTwilioOptions.TwimlAppSid,
            ["Twilio:PublicBaseUrl"] = TestTwilioOptions.PublicBaseUrl,
            ["Twilio:TokenLifetime"] = "00:05:00",
        };
        if (without is not null)
        {
            settings.Remove($"Twilio:{without}");
        }

        return settings;
    }
}
