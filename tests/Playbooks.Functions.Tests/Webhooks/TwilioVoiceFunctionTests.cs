using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;
using Playbooks.Functions.Http;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.Tests.Webhooks;

public class TwilioVoiceFunctionTests
{
    private const string CallSid = "CA00000000000000000000000000000001";
    private const string Prospect = "+12015550123";
    private const string Path = "/api/twilio/voice";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    private static readonly Dictionary<string, string> BrowserForm = new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["CallSid"] = CallSid,
        ["From"] = "client:" + ClientIdentity.Encode("org-1", "user-1").Value,
        ["To"] = Prospect,
        ["whoId"] = "00Q5e00000ABCdE",
    };

    private readonly Mock<CallingAccess> _access =
        new(MockBehavior.Strict, new Mock<OrgStore>(Unused).Object, new Mock<PermissionGroupStore>(Unused).Object, new Mock<PersonStore>(Unused).Object);

    private readonly Mock<OrgStore> _orgs = new(MockBehavior.Strict, Unused);

    private readonly Mock<CallLedger> _ledger = new(MockBehavior.Strict, Unused);

    private readonly Mock<CallerIdStore> _callerIds = new(MockBehavior.Strict, Unused);

    private TwilioVoiceFunction CreateFunction()
    {
        var urls = new CallbackUrls(TwilioRequests.Options);
        var connector = new CallConnector(
            _access.Object, _orgs.Object, new DestinationPolicy(), new CallIntentProtector(TwilioRequests.Options), _ledger.Object, _callerIds.Object,
            new TwimlBuilder(urls), TwilioRequests.Options, TimeProvider.System, NullLogger<CallConnector>.Instance);
        return new TwilioVoiceFunction(TwilioRequests.Signature, connector);
    }

    private void AllowEverything()
    {
        _access.Setup(a => a.CheckAsync("org-1", "user-1", CallingMethod.Computer, It.IsAny<CancellationToken>())).ReturnsAsync(CallingPermission.Granted);
        _orgs.Setup(o => o.GetAsync("org-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = "org-1", Name = "Org one", ComputerCallingEnabled = true, CallerId = "+14155550199" });
        _callerIds.Setup(c => c.IsAssignedAsync("org-1", "+14155550199", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _ledger.Setup(l => l.RecordAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    private void AssertNothingDialed()
    {
        _access.VerifyNoOtherCalls();
        _orgs.VerifyNoOtherCalls();
        _ledger.VerifyNoOtherCalls();
    }

    private static void AssertForbiddenSignature(IActionResult result)
    {
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal(403, problem.Status);
        Assert.Equal(TwilioWebhook.SignatureInvalid, problem.Code);
    }

    [Fact]
    public async Task Run_SignedOverThePublicUrl_AnswersTwimlThatDialsTheProspect()
    {
        // Arrange: the request reached us on an internal host; Twilio signed the public URL.
        AllowEverything();
        var request = TwilioRequests.Post(Path, BrowserForm);

        // Act
        var result = await CreateFunction().Run(request, CancellationToken.None);

        // Assert
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(200, content.StatusCode);
        Assert.Equal("application/xml", content.ContentType);
        var number = XDocument.Parse(content.Content!).Root!.Element("Dial")!.Element("Number")!;
        Assert.Equal(Prospect, number.Value);
        Assert.Contains("crmWhoId=00Q5e00000ABCdE", (string)number.Attribute("statusCallback")!);
        _ledger.Verify(l => l.RecordAsync(It.Is<CallRecord>(c => c.CallSid == CallSid && c.UserId == "user-1"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Run_SignatureOverTheInternalUrl_Returns403AndDialsNothing()
    {
        // Arrange
        var request = TwilioRequests.Post(Path, BrowserForm, TwilioRequests.Sign("http://10.0.0.5:8080" + Path, BrowserForm));

        // Act
        var result = await CreateFunction().Run(request, CancellationToken.None);

        // Assert
        AssertForbiddenSignature(result);
        AssertNothingDialed();
    }

    [Fact]
    public async Task Run_TamperedUrl_Returns403AndDialsNothing()
    {
        // Arrange: signed for one intent, sent with another.
        var request = TwilioRequests.Post(Path + "?intent=forged", BrowserForm, TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + Path, BrowserForm));

        // Act
        var result = await CreateFunction().Run(request, CancellationToken.None);

        // Assert
        AssertForbiddenSignature(result);
        AssertNothingDialed();
    }

    [Fact]
    public async Task Run_TamperedParameter_Returns403AndDialsNothing()
    {
        // Arrange
        var signature = TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + Path, BrowserForm);
        var tampered = new Dictionary<string, string>(BrowserForm) { ["To"] = "+19002345678" };

        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path, tampered, signature), CancellationToken.None);

        // Assert
        AssertForbiddenSignature(result);
        AssertNothingDialed();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-signature")]
    public async Task Run_MissingOrGarbageSignature_Returns403AndDialsNothing(string header)
    {
        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path, BrowserForm, header), CancellationToken.None);

        // Assert
        AssertForbiddenSignature(result);
        AssertNothingDialed();
    }

    [Fact]
    public async Task Run_SignedWithAnOldAuthToken_Returns403AndDialsNothing()
    {
        // Arrange
        var stale = TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + Path, BrowserForm, authToken: "the-auth-token-before-rotation");

        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path, BrowserForm, stale), CancellationToken.None);

        // Assert
        AssertForbiddenSignature(result);
        AssertNothingDialed();
    }

    [Fact]
    public async Task Run_IntentOnlyInTheForm_IsNotTrustedAsAnAgentLeg()
    {
        // Arrange: a browser can post any custom parameter, but the intent is read from our URL only.
        var intent = new CallIntentProtector(TwilioRequests.Options)
            .Protect(new CallIntentData("org-1", "user-1", "+19002345678", null, DateTimeOffset.UtcNow));
        var form = new Dictionary<string, string>(BrowserForm) { ["From"] = "+14155550100", ["intent"] = intent };

        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path, form), CancellationToken.None);

        // Assert
        var verbs = XDocument.Parse(Assert.IsType<ContentResult>(result).Content!).Root!.Elements().Select(e => e.Name.LocalName);
        Assert.Equal(["Say", "Hangup"], verbs);
        AssertNothingDialed();
    }
}
