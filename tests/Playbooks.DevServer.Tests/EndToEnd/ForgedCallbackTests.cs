using System.Net;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>A status callback that Twilio did not sign is refused by our webhook and never reaches the activity.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ForgedCallbackTests(EndToEndServer server)
{
    private const string Busy = "+12015550101";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StatusWebhook_WrongOrMissingSignature_Returns403AndTheActivityStaysAsItWas(bool wrongSignature)
    {
        // Arrange: a busy call whose activity has ended; a forged "completed" with a later sequence would turn it into a
        // connected call of 999 s.
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Busy);
        var sim = await server.WaitUntilSettledAsync(callSid);
        var before = await Activities.WaitForSettledAsync(server, rep, callSid);
        var path = $"/api/twilio/status?orgId={org.OrgId}&userId={CallingOrg.RepId}&method=computer";
        var forged = StatusForm(sim.ChildCallSid!, callSid, "completed", sequence: 99, duration: 999);
        var signature = wrongSignature ? TwilioWebhooks.Sign(server, path, forged, authToken: "not-our-auth-token") : null;

        // Act
        var response = await TwilioWebhooks.PostAsync(server, path, forged, signature);

        // Assert
        await response.ProblemAsync(HttpStatusCode.Forbidden, "twilio-signature-invalid");
        // A correctly signed event for another call, sent after the forged one: once its activity is written, the
        // writer has drained past the point where the forged event would have been.
        var sentinelSid = "CA" + Guid.NewGuid().ToString("N");
        var sentinel = StatusForm("CA" + Guid.NewGuid().ToString("N"), sentinelSid, "busy", sequence: 1, duration: 0);
        Assert.Equal(HttpStatusCode.NoContent, (await TwilioWebhooks.PostAsync(server, path, sentinel, TwilioWebhooks.Sign(server, path, sentinel))).StatusCode);
        await Activities.WaitForRecentAsync(rep, sentinelSid, Activities.IsTerminal);
        var after = await Activities.FindRecentAsync(rep, callSid);
        Assert.Equal(before.ToString(), after?.ToString());
        Assert.Equal("busy", after!.Value.GetProperty("outcome").GetString());
    }

    private static Dictionary<string, string> StatusForm(string callSid, string parentCallSid, string status, int sequence, int duration) => new()
    {
        ["AccountSid"] = TwilioWebhooks.AccountSid,
        ["CallSid"] = callSid,
        ["ParentCallSid"] = parentCallSid,
        ["CallStatus"] = status,
        ["CallDuration"] = duration.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SequenceNumber"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Timestamp"] = TwilioWebhooks.Rfc2822(DateTimeOffset.UtcNow),
        ["Direction"] = "outbound-dial",
        ["To"] = "+12015550101",
        ["From"] = "+15005550010",
        ["CallbackSource"] = "call-progress-events",
        ["ApiVersion"] = "2010-04-01",
    };
}
