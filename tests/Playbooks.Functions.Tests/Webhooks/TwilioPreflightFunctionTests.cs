using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Http;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.Tests.Webhooks;

public class TwilioPreflightFunctionTests
{
    private const string RecordingSid = "RE0123456789abcdef0123456789abcdef";

    private static readonly PreflightTwiml Twiml = new(TwilioRequests.Options);

    private static Dictionary<string, string> Form(string from, string? recordingSid = null)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["CallSid"] = "CA00000000000000000000000000000001",
            ["From"] = from,
            ["To"] = "",
        };
        if (recordingSid is not null)
        {
            form["RecordingSid"] = recordingSid;
        }

        return form;
    }

    private static string PreflightFrom => "client:" + PreflightIdentity.Encode("org-1", "user-1").Value;

    private static List<string> Verbs(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(200, content.StatusCode);
        Assert.Equal("application/xml", content.ContentType);
        return XDocument.Parse(content.Content!).Root!.Elements().Select(e => e.Name.LocalName).ToList();
    }

    [Fact]
    public async Task Run_SignedPreflightCall_RecordsTheRep()
    {
        // Arrange
        var function = new TwilioPreflightFunction(TwilioRequests.Signature, Twiml);

        // Act
        var result = await function.Run(TwilioRequests.Post(PreflightTwiml.Path, Form(PreflightFrom)), CancellationToken.None);

        // Assert
        Assert.Equal(["Say", "Record", "Say", "Hangup"], Verbs(result));
    }

    [Fact]
    public async Task Run_CallingIdentity_IsRefusedAndNeverDials()
    {
        // Arrange
        var function = new TwilioPreflightFunction(TwilioRequests.Signature, Twiml);
        var callingFrom = "client:" + ClientIdentity.Encode("org-1", "user-1").Value;
        var form = Form(callingFrom);
        form["To"] = "+12015550123";

        // Act
        var result = await function.Run(TwilioRequests.Post(PreflightTwiml.Path, form), CancellationToken.None);

        // Assert
        Assert.Equal(["Say", "Hangup"], Verbs(result));
    }

    [Fact]
    public async Task Run_Unsigned_Returns403()
    {
        // Arrange
        var function = new TwilioPreflightFunction(TwilioRequests.Signature, Twiml);

        // Act
        var result = await function.Run(TwilioRequests.Post(PreflightTwiml.Path, Form(PreflightFrom), signature: ""), CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((403, TwilioWebhook.SignatureInvalid), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Playback_SignedWithRecording_PlaysItBackAndHangsUp()
    {
        // Arrange
        var function = new TwilioPreflightPlaybackFunction(TwilioRequests.Signature, Twiml);

        // Act
        var result = await function.Run(
            TwilioRequests.Post(PreflightTwiml.PlaybackPath, Form(PreflightFrom, RecordingSid)), CancellationToken.None);

        // Assert
        Assert.Equal(["Play", "Hangup"], Verbs(result));
    }

    [Fact]
    public async Task Playback_ForgedSignature_Returns403()
    {
        // Arrange
        var function = new TwilioPreflightPlaybackFunction(TwilioRequests.Signature, Twiml);
        var form = Form(PreflightFrom, RecordingSid);
        var signature = TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + PreflightTwiml.PlaybackPath, form, authToken: "not-the-auth-token");

        // Act
        var result = await function.Run(TwilioRequests.Post(PreflightTwiml.PlaybackPath, form, signature), CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((403, TwilioWebhook.SignatureInvalid), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Playback_NotAPreflightCall_PlaysNothing()
    {
        // Arrange
        var function = new TwilioPreflightPlaybackFunction(TwilioRequests.Signature, Twiml);
        var form = Form("+12015550123", RecordingSid);

        // Act
        var result = await function.Run(TwilioRequests.Post(PreflightTwiml.PlaybackPath, form), CancellationToken.None);

        // Assert
        Assert.Equal(["Say", "Hangup"], Verbs(result));
    }
}
