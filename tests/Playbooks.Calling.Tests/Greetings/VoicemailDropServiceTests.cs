using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Greetings;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Clients;

namespace Playbooks.Calling.Tests.Greetings;

public class VoicemailDropServiceTests
{
    private const string OrgId = "org-1";
    private const string RepId = "rep-1";
    private const string AgentSid = "CA00000000000000000000000000000a01";
    private const string ProspectSid = "CA00000000000000000000000000000b02";
    private const string GreetingId = "0123456789abcdef0123456789abcdef";

    private static readonly TableServiceClient Tables = new("UseDevelopmentStorage=true");

    private readonly Mock<CallLedger> _ledger = new(MockBehavior.Strict, Tables);
    private readonly Mock<ActivityStore> _activities = new(MockBehavior.Strict, Tables, TimeProvider.System);
    private readonly Mock<GreetingStore> _greetings = new(MockBehavior.Strict, new BlobContainerClient("UseDevelopmentStorage=true", "greetings"));
    private readonly Mock<TwilioCallGateway> _gateway = new(MockBehavior.Strict, Mock.Of<ITwilioRestClient>(), NullLogger<TwilioCallGateway>.Instance);
    private readonly Mock<ICallEventPublisher> _publisher = new(MockBehavior.Strict);
    private readonly List<CallEventMessage> _published = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static Caller Rep(string userId = RepId) => new(OrgId, userId, "Ana", new HashSet<string> { AppRoles.Rep });

    private VoicemailDropService Service() => new(
        _ledger.Object, _activities.Object, _greetings.Object, new GreetingLinks(TestTwilioOptions.Wrap(), _time),
        new TwimlBuilder(new CallbackUrls(TestTwilioOptions.Wrap())), _gateway.Object, _publisher.Object, _time,
        NullLogger<VoicemailDropService>.Instance);

    private void Arrange(CallActivity? activity, string owner = RepId)
    {
        _ledger.Setup(l => l.GetAsync(OrgId, AgentSid, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallRecord(OrgId, AgentSid, owner, CallingMethod.Computer, "+12015550104", _time.GetUtcNow()));
        _activities.Setup(a => a.GetAsync(new ActivityKey(OrgId, AgentSid), It.IsAny<CancellationToken>())).ReturnsAsync(activity);
        _greetings.Setup(g => g.GetAsync(OrgId, RepId, GreetingId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Greeting(GreetingId, "Intro", "wav", 3, 48_044, _time.GetUtcNow()));
        _publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .Callback<CallEventMessage, CancellationToken>((m, _) => _published.Add(m))
            .Returns(Task.CompletedTask);
    }

    private static CallActivity Answered(CallStatus status = CallStatus.InProgress) =>
        CallActivity.Empty(new ActivityKey(OrgId, AgentSid)) with { ProspectCallSid = ProspectSid, Status = status };

    [Fact]
    public async Task Drop_AnsweredCall_RedirectsTheProspectLegToPlayTheGreetingLinkAndQueuesVoicemailLeft()
    {
        // Arrange
        Arrange(Answered());
        string? twiml = null;
        _gateway.Setup(g => g.RedirectAsync(ProspectSid, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, t, _) => twiml = t)
            .ReturnsAsync(true);

        // Act
        var dropped = await Service().DropAsync(Rep(), AgentSid, GreetingId, CancellationToken.None);

        // Assert
        Assert.Equal((AgentSid, ProspectSid, "Intro"), (dropped.Value!.CallSid, dropped.Value.ProspectCallSid, dropped.Value.GreetingName));
        var response = System.Xml.Linq.XDocument.Parse(twiml!).Root!;
        Assert.Equal(["Play", "Hangup"], response.Elements().Select(e => e.Name.LocalName));
        var link = new GreetingLinks(TestTwilioOptions.Wrap(), _time).Open(new Uri(response.Elements().First().Value).AbsolutePath[GreetingLinks.PathPrefix.Length..]);
        Assert.Equal(new GreetingLinkTarget(OrgId, RepId, GreetingId), link.Value); // the link opens exactly this rep's greeting
        var message = Assert.Single(_published);
        Assert.Equal((CallEventKind.VoicemailDrop, AgentSid, GreetingId, "Intro"), (message.Kind, message.CallSid, message.GreetingId, message.GreetingName));
        Assert.Null(message.Validate());
        _gateway.Verify(g => g.EndCallAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never); // Twilio frees the rep's leg itself
    }

    [Fact]
    public async Task Drop_ActivityNotWrittenYet_FindsTheAnsweredChildLegFromTwilio()
    {
        Arrange(activity: null);
        _gateway.Setup(g => g.FindAnsweredChildAsync(AgentSid, It.IsAny<CancellationToken>())).ReturnsAsync(ProspectSid);
        _gateway.Setup(g => g.RedirectAsync(ProspectSid, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var dropped = await Service().DropAsync(Rep(), AgentSid, GreetingId, CancellationToken.None);

        Assert.Equal(ProspectSid, dropped.Value!.ProspectCallSid);
    }

    [Fact]
    public async Task Drop_NobodyAnsweredYet_Returns409AndRedirectsNothing()
    {
        Arrange(activity: null);
        _gateway.Setup(g => g.FindAnsweredChildAsync(AgentSid, It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);

        var dropped = await Service().DropAsync(Rep(), AgentSid, GreetingId, CancellationToken.None);

        Assert.Equal((FailureKind.Conflict, VoicemailDropService.ProspectNotAnswered), (dropped.Failure!.Kind, dropped.Failure.Code));
        Assert.Empty(_published);
    }

    [Fact]
    public async Task Drop_ProspectLegAlreadyEnded_Returns409()
    {
        Arrange(Answered(CallStatus.Completed));

        var dropped = await Service().DropAsync(Rep(), AgentSid, GreetingId, CancellationToken.None);

        Assert.Equal(VoicemailDropService.ProspectNotAnswered, dropped.Failure?.Code);
    }

    [Fact]
    public async Task Drop_AnotherRepsCall_Returns404()
    {
        Arrange(Answered(), owner: "rep-2");

        var dropped = await Service().DropAsync(Rep(), AgentSid, GreetingId, CancellationToken.None);

        Assert.Equal(FailureKind.NotFound, dropped.Failure?.Kind);
        Assert.Empty(_published);
    }

    [Theory]
    [InlineData(null, "missing-field")]
    [InlineData("../../other-org/rep/x", "invalid-field")]
    public async Task Drop_BadGreetingId_Returns400NamingIt(string? greetingId, string code)
    {
        var dropped = await Service().DropAsync(Rep(), AgentSid, greetingId, CancellationToken.None);

        Assert.Equal(("greetingId", code), (dropped.Failure?.Field, dropped.Failure?.Code));
    }
}
