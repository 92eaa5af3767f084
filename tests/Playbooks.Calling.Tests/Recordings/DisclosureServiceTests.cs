using System.Xml.Linq;
using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Tests.OrgDirectory;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Recordings;

public class DisclosureServiceTests
{
    private const string AgentSid = "CA00000000000000000000000000000a01";

    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly Mock<ICallEventPublisher> publisher = new(MockBehavior.Strict);
    private readonly List<CallEventMessage> published = [];

    private DisclosureService Service() => new(
        orgs.Object, new TwimlBuilder(new CallbackUrls(TestTwilioOptions.Wrap())), publisher.Object, TimeProvider.System,
        NullLogger<DisclosureService>.Instance);

    private void PublishSucceeds() =>
        publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .Callback<CallEventMessage, CancellationToken>((m, _) => published.Add(m))
            .Returns(Task.CompletedTask);

    private void OrgIs(OrgSettings? org) =>
        orgs.Setup(o => o.GetAsync("org-1", It.IsAny<CancellationToken>())).ReturnsAsync(org);

    [Fact]
    public async Task PlayAsync_OrgWithText_SaysItAndQueuesADisclosureEventForTheAgentLegsActivity()
    {
        // Arrange
        OrgIs(new OrgSettings { OrgId = "org-1", Name = "Org", DisclosureText = "Acme records calls." });
        PublishSucceeds();

        // Act
        var result = await Service().PlayAsync(new DisclosureRequest("org-1", AgentSid, "CA00000000000000000000000000000b02"), default);

        // Assert
        var say = Assert.Single(XDocument.Parse(result.Value!).Root!.Elements());
        Assert.Equal(("Say", "Acme records calls."), (say.Name.LocalName, say.Value));
        var message = Assert.Single(published);
        Assert.Equal((CallEventKind.Disclosure, "org-1", AgentSid, DisclosureService.Say), (message.Kind, message.OrgId, message.CallSid, message.DisclosureKind));
        Assert.Null(message.Validate());
        Assert.Equal(new ActivityKey("org-1", AgentSid), ActivityKey.Of(message));
    }

    [Fact]
    public async Task PlayAsync_OrgWithAudio_PlaysItAndRecordsPlay()
    {
        // Arrange
        OrgIs(new OrgSettings { OrgId = "org-1", Name = "Org", DisclosureText = "unused", DisclosureAudioUrl = "https://cdn.example.com/d.mp3" });
        PublishSucceeds();

        // Act
        var result = await Service().PlayAsync(new DisclosureRequest("org-1", AgentSid, null), default);

        // Assert
        Assert.Equal("Play", Assert.Single(XDocument.Parse(result.Value!).Root!.Elements()).Name.LocalName);
        Assert.Equal(DisclosureService.Play, Assert.Single(published).DisclosureKind);
    }

    [Fact]
    public async Task PlayAsync_StorageAndQueueDown_StillSaysTheDefaultDisclosure()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync("org-1", It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "down"));
        publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("queue down"));

        // Act
        var result = await Service().PlayAsync(new DisclosureRequest("org-1", AgentSid, null), default);

        // Assert
        Assert.Equal(RecordingDisclosure.DefaultText, Assert.Single(XDocument.Parse(result.Value!).Root!.Elements()).Value);
    }

    [Theory]
    [InlineData(null, AgentSid, "orgId")]
    [InlineData("org-1", null, "agentCallSid")]
    [InlineData("org-1", "not-a-sid", "agentCallSid")]
    public async Task PlayAsync_UrlWithoutContext_Refused400WithoutQueueing(string? orgId, string? agentSid, string field)
    {
        // Act
        var result = await Service().PlayAsync(new DisclosureRequest(orgId, agentSid, null), default);

        // Assert
        Assert.Equal((FailureKind.Invalid, field), (result.Failure?.Kind, result.Failure?.Field));
        publisher.VerifyNoOtherCalls();
    }
}
