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

public class TwilioAgentConfirmFunctionTests
{
    private const string AgentCallSid = "CA00000000000000000000000000000009";
    private const string Prospect = "+12015550123";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    private readonly Mock<CallingAccess> _access =
        new(MockBehavior.Strict, new Mock<OrgStore>(Unused).Object, new Mock<PermissionGroupStore>(Unused).Object, new Mock<PersonStore>(Unused).Object);

    private readonly Mock<OrgStore> _orgs = new(MockBehavior.Strict, Unused);

    private readonly Mock<CallLedger> _ledger = new(MockBehavior.Strict, Unused);

    private readonly Mock<CallerIdStore> _callerIds = new(MockBehavior.Strict, Unused);

    private readonly Mock<AgentLegStateStore> _agentLegs = new(MockBehavior.Strict, Unused);

    private readonly CallIntentProtector _intents = new(TwilioRequests.Options);

    private TwilioAgentConfirmFunction CreateFunction()
    {
        var twiml = new TwimlBuilder(new CallbackUrls(TwilioRequests.Options));
        var connector = new CallConnector(
            _access.Object, _orgs.Object, new DestinationPolicy(), _intents, _ledger.Object, _callerIds.Object,
            twiml, TwilioRequests.Options, TimeProvider.System, NullLogger<CallConnector>.Instance);
        return new TwilioAgentConfirmFunction(
            TwilioRequests.Signature, connector, _agentLegs.Object, twiml, TimeProvider.System, NullLogger<TwilioAgentConfirmFunction>.Instance);
    }

    private string Path() =>
        CallbackUrls.AgentConfirmPath + "?intent="
        + Uri.EscapeDataString(_intents.Protect(new CallIntentData("org-1", "user-1", Prospect, null, DateTimeOffset.UtcNow)));

    private static Dictionary<string, string> Form(string digits) => new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["CallSid"] = AgentCallSid,
        ["From"] = "+14155550199",
        ["To"] = "+15005550002",
        ["Digits"] = digits,
    };

    private static List<string> Verbs(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal("application/xml", content.ContentType);
        return XDocument.Parse(content.Content!).Root!.Elements().Select(e => e.Name.LocalName).ToList();
    }

    [Fact]
    public async Task Run_RepPressedOne_DialsTheProspectAndStoresTheKey()
    {
        // Arrange
        _access.Setup(a => a.CheckAsync("org-1", "user-1", CallingMethod.Phone, It.IsAny<CancellationToken>())).ReturnsAsync(CallingPermission.Granted);
        _orgs.Setup(o => o.GetAsync("org-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = "org-1", Name = "Org one", CallerId = "+14155550199" });
        _callerIds.Setup(c => c.IsAssignedAsync("org-1", "+14155550199", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _ledger.Setup(l => l.RecordAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _agentLegs.Setup(s => s.RecordConfirmationAsync("org-1", AgentCallSid, AgentConfirmation.Confirmed, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var form = Form("1");

        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path(), form), CancellationToken.None);

        // Assert
        Assert.Equal(["Dial"], Verbs(result));
        _agentLegs.VerifyAll();
    }

    [Theory]
    [InlineData("2")]
    [InlineData("*")]
    public async Task Run_AnotherKey_HangsUpWithoutDialingAndStoresTheRefusal(string digits)
    {
        // Arrange
        _agentLegs.Setup(s => s.RecordConfirmationAsync("org-1", AgentCallSid, AgentConfirmation.Declined, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);

        // Act
        var result = await CreateFunction().Run(TwilioRequests.Post(Path(), Form(digits)), CancellationToken.None);

        // Assert
        Assert.Equal(["Say", "Hangup"], Verbs(result));
        _agentLegs.VerifyAll();
        _access.VerifyNoOtherCalls();
        _ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_ForgedSignature_Returns403AndDialsNothing()
    {
        // Arrange
        var form = Form("1");
        var request = TwilioRequests.Post(Path(), form, TwilioRequests.Sign("https://evil.example" + Path(), form));

        // Act
        var result = await CreateFunction().Run(request, CancellationToken.None);

        // Assert
        Assert.Equal(403, Assert.IsType<ProblemActionResult>(result).Problem.Status);
        _access.VerifyNoOtherCalls();
        _agentLegs.VerifyNoOtherCalls();
    }
}
