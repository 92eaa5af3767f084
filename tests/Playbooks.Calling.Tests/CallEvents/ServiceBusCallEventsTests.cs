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
        var batch = await new ServiceBusCallEventSource(receiver.Object).ReceiveAsync(32, TimeSpan.FromSeconds(2), CancellationToken.None);

        // Assert
        var leased = Assert.Single(batch);
        Assert.Equal("m-1", leased.MessageId);
        Assert.Equal("{\"version\":1}", leased.Body);
        Assert.Equal(3, leased.DeliveryCount);
    }
}
