using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.Tests.Me;

public sealed class TelephonyOptionsTests
{
    private static TelephonyOptions Resolve(string? mode)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(mode is null ? [] : new Dictionary<string, string?> { ["Telephony:Mode"] = mode })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddPlaybooksCallingApi(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<TelephonyOptions>>().Value;
    }

    [Fact]
    public void Mode_NotConfigured_IsTwilio() => Assert.Equal("twilio", Resolve(null).Mode);

    [Fact]
    public void Mode_Simulated_IsAccepted() => Assert.Equal("simulated", Resolve("simulated").Mode);

    [Fact]
    public void Mode_Unknown_FailsValidationNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve("carrier-pigeon"));

        Assert.Contains("Mode", error.Message);
    }
}
