using Playbooks.DevServer.TwilioSimulator;
using Twilio.Security;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

public sealed class WebhookSignerTests
{
    private const string Url = "https://calls.example.com/api/twilio/status?org=acme-demo&user=rep%2Dboth&method=computer";

    private static readonly KeyValuePair<string, string>[] Form =
    [
        new("CallStatus", "in-progress"),
        new("AccountSid", SimulatorSettings.AccountSid),
        new("Timestamp", "Thu, 26 Nov 2026 04:30:00 +0000"),
        new("To", "+12015550100"),
        new("From", "client:acme_2Ddemo__rep_2Dboth"),
        new("SequenceNumber", "2"),
    ];

    [Fact]
    public void Sign_PostForm_IsAcceptedByTwilioRequestValidator()
    {
        var signature = new WebhookSigner(SimulatorSettings.AuthToken).Sign(Url, Form);

        var valid = new RequestValidator(SimulatorSettings.AuthToken).Validate(Url, Form.ToDictionary(p => p.Key, p => p.Value), signature);

        Assert.True(valid);
    }

    [Fact]
    public void Sign_OtherAuthToken_IsRejectedByTwilioRequestValidator()
    {
        var signature = new WebhookSigner("someone-else's-token").Sign(Url, Form);

        var valid = new RequestValidator(SimulatorSettings.AuthToken).Validate(Url, Form.ToDictionary(p => p.Key, p => p.Value), signature);

        Assert.False(valid);
    }

    [Fact]
    public void Sign_GetWithQueryOnly_IsAcceptedByTwilioRequestValidator()
    {
        var url = Url + "&CallSid=CA0123&CallStatus=ringing";
        var signature = new WebhookSigner(SimulatorSettings.AuthToken).Sign(url, []);

        Assert.True(new RequestValidator(SimulatorSettings.AuthToken).Validate(url, new Dictionary<string, string>(), signature));
    }

    [Fact]
    public void SplitFragment_ConnectionOverrides_DropsFragmentAndReadsRetries()
    {
        var (url, overrides) = WebhookClient.SplitFragment("https://calls.example.com/api/twilio/status?org=a#ct=2000&rt=4000&tt=14000&rc=3&rp=ct,rt,5xx");

        Assert.Equal("https://calls.example.com/api/twilio/status?org=a", url);
        Assert.Equal(3, overrides.Int("rc"));
        Assert.Equal("ct,rt,5xx", overrides.Text("rp"));
    }
}
