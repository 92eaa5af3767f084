using Azure.Messaging.ServiceBus;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

public class ServiceBusCallEventsTests
{
    [Fact]
    public async Task PublishAsync_StatusEvent_SendsJsonWithDuplicateDetectionId()
    {
        // Arrange
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        ServiceBusMessage? sent = null;
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => sent = m)
            .Returns(Task.CompletedTask);
        var e = new TestCall().Status(CallStatus.Ringing, 1, 3);

        // Act
        await new ServiceBusCallEventPublisher(sender.Object).PublishAsync(e, CancellationToken.None);

        // Assert
        Assert.NotNull(sent);
        Assert.Equal(CallEventMessageId.For(e), sent.MessageId);
        Assert.Equal($"call-status:{TestCall.ProspectSid}:1", sent.MessageId);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("call-status", sent.Subject);
        Assert.Equal(e, CallEventSerializer.TryDeserialize(sent.Body.ToString()).Value);
    }

    [Fact]
    public void Subject_EveryEventKind_IsItsJsonName()
    {
        foreach (var kind in Enum.GetValues<CallEventKind>())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(kind, Playbooks.Calling.PlaybooksJson.Options);
            Assert.Equal(json.Trim('"'), CallEventKinds.ToWire(kind));
        }
    }

    [Fact]
    public async Task PublishAsync_SameCallbackTwice_SameMessageId()
    {
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        var ids = new List<string>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => ids.Add(m.MessageId))
            .Returns(Task.CompletedTask);
        var first = new TestCall().Status(CallStatus.Completed, 3, 40, 31);
        var retried = first with { ReceivedAt = first.ReceivedAt.AddSeconds(5) };
        var publisher = new ServiceBusCallEventPublisher(sender.Object);

        await publisher.PublishAsync(first, CancellationToken.None);
        await publisher.PublishAsync(retried, CancellationToken.None);

        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task PublishAsync_SenderFails_Throws()
    {
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));

        await Assert.ThrowsAsync<ServiceBusException>(() =>
            new ServiceBusCallEventPublisher(sender.Object).PublishAsync(new TestCall().Status(CallStatus.Ringing, 1, 3), CancellationToken.None));
    }

    [Fact]
    public async Task ReceiveAsync_Batch_ExposesBodyAndDeliveryCount()
    {
        // Arrange
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{\"version\":1}"), messageId: "m-1", deliveryCount: 3, lockTokenGuid: Guid.NewGuid());
        receiver.Setup(r => r.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(2), It.IsAny<CancellationToken>()))
            .ReturnsAsync([message]);

        // Act
        var batch = await new ServiceBusCallEventSource(receiver.Object, new Mock<ServiceBusSender>(MockBehavior.Strict).Object, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero))).ReceiveAsync(32, TimeSpan.FromSeconds(2), CancellationToken.None);

        // Assert
        var leased = Assert.Single(batch);
        Assert.Equal("m-1", leased.MessageId);
        Assert.Equal("{\"version\":1}", leased.Body);
        Assert.Equal(3, leased.DeliveryCount);
    }

    [Fact]
    public async Task RetryLaterAsync_Leased_SchedulesTheCopyBeforeCompletingTheOriginal()
    {
        // Arrange
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{\"version\":1}"), messageId: "call-status:CA1:1", deliveryCount: 1, lockTokenGuid: Guid.NewGuid());
        receiver.Setup(r => r.ReceiveMessagesAsync(1, TimeSpan.Zero, It.IsAny<CancellationToken>())).ReturnsAsync([message]);
        var steps = new List<string>();
        ServiceBusMessage? copy = null;
        var order = new MockSequence();
        sender.InSequence(order).Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => { copy = m; steps.Add("schedule"); })
            .Returns(Task.CompletedTask);
        receiver.InSequence(order).Setup(r => r.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("complete"))
            .Returns(Task.CompletedTask);
        var leased = Assert.Single(await new ServiceBusCallEventSource(receiver.Object, sender.Object, time).ReceiveAsync(1, TimeSpan.Zero, CancellationToken.None));

        // Act
        await leased.RetryLaterAsync(TimeSpan.FromMinutes(2), CancellationToken.None);

        // Assert: never abandoned, so the delivery count is untouched; the copy carries the attempt.
        Assert.Equal(["schedule", "complete"], steps);
        Assert.NotNull(copy);
        Assert.Equal(time.GetUtcNow().AddMinutes(2), copy.ScheduledEnqueueTime);
        Assert.Equal("{\"version\":1}", copy.Body.ToString());
        Assert.Equal(1, copy.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
        Assert.Equal("call-status:CA1:1", copy.ApplicationProperties[ServiceBusCallEventSource.OriginalIdProperty]);
        Assert.Equal(ServiceBusCallEventSource.CopyId("call-status:CA1:1", 1), copy.MessageId);
    }

    [Fact]
    public async Task RetryLaterAsync_ScheduleFails_OriginalNotCompleted()
    {
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{}"), messageId: "m-1", deliveryCount: 1, lockTokenGuid: Guid.NewGuid());
        receiver.Setup(r => r.ReceiveMessagesAsync(1, TimeSpan.Zero, It.IsAny<CancellationToken>())).ReturnsAsync([message]);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));
        var leased = Assert.Single(await new ServiceBusCallEventSource(receiver.Object, sender.Object, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero))).ReceiveAsync(1, TimeSpan.Zero, CancellationToken.None));

        await Assert.ThrowsAsync<ServiceBusException>(() => leased.RetryLaterAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Attempts_CopyRedeliveredAfterALostLock_CountsCarriedAttemptsAndTheLostDelivery()
    {
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{}"), messageId: "m-1~3", deliveryCount: 2, lockTokenGuid: Guid.NewGuid(),
            properties: new Dictionary<string, object> { [ServiceBusCallEventSource.AttemptsProperty] = 3 });
        receiver.Setup(r => r.ReceiveMessagesAsync(1, TimeSpan.Zero, It.IsAny<CancellationToken>())).ReturnsAsync([message]);

        var leased = Assert.Single(await new ServiceBusCallEventSource(
            receiver.Object, new Mock<ServiceBusSender>(MockBehavior.Strict).Object, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero))).ReceiveAsync(1, TimeSpan.Zero, CancellationToken.None));

        Assert.Equal(4, leased.Attempts);
    }
}
