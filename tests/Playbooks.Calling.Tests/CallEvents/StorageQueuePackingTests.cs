using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Telemetry;
using Playbooks.Calling.Tests.Telemetry;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

/// <summary>Group commit on publish and per-event settling of packed messages, over mocked queue clients.</summary>
[Collection(TelemetryCollection.Name)]
public class StorageQueuePackingTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private readonly TestCall call = new();
    private readonly FakeQueue queue = new();
    private readonly FakeQueue poison = new();

    private StorageQueueCallEvents Queues(int packSize = 64, int sendsInFlight = 4, TimeSpan? lease = null) =>
        new(queue.Client, poison.Client, lease ?? TimeSpan.FromSeconds(30), packSize, sendsInFlight);

    private CallEventMessage Event(int n) => call.Status(CallStatus.Ringing, n, n) with { CallSid = $"CA{n:D32}" };

    // Publish

    [Fact]
    public async Task PublishAsync_Lone_SentAtOnceInTheSingleEventForm()
    {
        // Arrange
        var queues = Queues();
        var e = Event(1);

        // Act
        await queues.PublishAsync(e, CancellationToken.None);

        // Assert
        var sent = Assert.Single(queue.Sent);
        Assert.DoesNotContain(CallEventPack.Marker, sent.Body.ToString());
        Assert.Equal([e], Events(sent.Body));
        Assert.Null(sent.Visibility);
    }

    [Fact]
    public async Task PublishAsync_ArrivingWhileTheSendIsInFlight_JoinTheNextMessageAndReturnOnlyOnceItIsStored()
    {
        // Arrange
        var queues = Queues(sendsInFlight: 1);
        var firstSend = queue.HoldNextSend();
        var first = queues.PublishAsync(Event(0), CancellationToken.None);
        var secondSend = queue.HoldNextSend();
        var rest = Enumerable.Range(1, 5).Select(n => queues.PublishAsync(Event(n), CancellationToken.None)).ToArray();

        // Act
        firstSend.SetResult();
        await first;
        await queue.WaitForSendsAsync(2);
        var restDoneBeforeItsSend = rest.Any(t => t.IsCompleted);
        secondSend.SetResult();
        await Task.WhenAll(rest);

        // Assert
        Assert.False(restDoneBeforeItsSend);
        Assert.Equal(2, queue.Sent.Count);
        Assert.Equal([Event(0)], Events(queue.Sent[0].Body));
        Assert.Equal(Enumerable.Range(1, 5).Select(Event), Events(queue.Sent[1].Body));
    }

    [Fact]
    public async Task PublishAsync_SendFails_FailsEveryPublisherInThatMessageOnly()
    {
        // Arrange
        var queues = Queues(sendsInFlight: 1);
        var firstSend = queue.HoldNextSend();
        var first = queues.PublishAsync(Event(0), CancellationToken.None);
        var secondSend = queue.HoldNextSend();
        var rest = Enumerable.Range(1, 3).Select(n => queues.PublishAsync(Event(n), CancellationToken.None)).ToArray();

        // Act
        firstSend.SetResult();
        await first;
        await queue.WaitForSendsAsync(2);
        secondSend.SetException(new RequestFailedException(503, "The server is busy."));

        // Assert
        foreach (var publish in rest)
        {
            Assert.Equal(503, (await Assert.ThrowsAsync<RequestFailedException>(() => publish)).Status);
        }

        Assert.True(first.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task PublishAsync_MoreWaitingThanThePackSize_SplitsIntoMessagesOfAtMostThatMany()
    {
        // Arrange
        var queues = Queues(packSize: 3, sendsInFlight: 1);
        var firstSend = queue.HoldNextSend();
        var first = queues.PublishAsync(Event(0), CancellationToken.None);
        var rest = Enumerable.Range(1, 7).Select(n => queues.PublishAsync(Event(n), CancellationToken.None)).ToArray();

        // Act
        firstSend.SetResult();
        await Task.WhenAll(rest.Append(first));

        // Assert
        Assert.Equal([1, 3, 3, 1], queue.Sent.Select(s => Events(s.Body).Count));
        Assert.Equal(Enumerable.Range(0, 8).Select(Event), queue.Sent.SelectMany(s => Events(s.Body)));
    }

    [Fact]
    public async Task PublishAsync_LargeEvents_EveryMessageStaysUnderTheQueueLimitAfterBase64()
    {
        // Arrange
        var queues = Queues(sendsInFlight: 1);
        var firstSend = queue.HoldNextSend();
        var first = queues.PublishAsync(Event(0), CancellationToken.None);
        var notes = new string('n', 4_000);
        var big = Enumerable.Range(1, 40)
            .Select(n => CallEventMessage.ForDisposition("org-1", $"CA{n:D32}", "user-ana", "connected", notes, TestCall.Start, TestCall.Start))
            .ToArray();
        var rest = big.Select(e => queues.PublishAsync(e, CancellationToken.None)).ToArray();

        // Act
        firstSend.SetResult();
        await Task.WhenAll(rest.Append(first));

        // Assert
        Assert.All(queue.Sent, s => Assert.True(Convert.ToBase64String(s.Body.ToArray()).Length < 64 * 1024));
        Assert.True(queue.Sent.Count is > 2 and < 40, $"{queue.Sent.Count} messages");
        Assert.Equal(big, queue.Sent.Skip(1).SelectMany(s => Events(s.Body)));
    }

    [Fact]
    public async Task PublishAsync_SendsInFlight_UpToTheOptionThenTheRestWait()
    {
        // Arrange
        var queues = Queues(sendsInFlight: 2);
        var holds = Enumerable.Range(0, 3).Select(_ => queue.HoldNextSend()).ToArray();

        // Act
        var publishes = Enumerable.Range(0, 3).Select(n => queues.PublishAsync(Event(n), CancellationToken.None)).ToArray();
        await queue.WaitForSendsAsync(2);
        var startedWhileTwoInFlight = queue.Sent.Count;
        holds[0].SetResult();
        await publishes[0];
        await queue.WaitForSendsAsync(3);
        holds[1].SetResult();
        holds[2].SetResult();
        await Task.WhenAll(publishes);

        // Assert
        Assert.Equal(2, startedWhileTwoInFlight);
        Assert.Equal(3, queue.Sent.Count);
    }

    [Fact]
    public async Task PublishAsync_TracedPublishesSharingAMessage_EachEventKeepsItsOwnPublishSpan()
    {
        // Arrange
        using var spans = new RecordedSpans();
        var queues = Queues(sendsInFlight: 1);
        var firstSend = queue.HoldNextSend();
        var first = queues.PublishAsync(Event(0), CancellationToken.None);
        var published = Enumerable.Range(1, 3)
            .Select(n => Event(n) with { CallSid = $"CB{n:D32}", ParentCallSid = $"CA{n:D32}" })
            .ToArray();
        var rest = published.Select(e => queues.PublishAsync(e, CancellationToken.None)).ToArray();

        // Act
        firstSend.SetResult();
        await Task.WhenAll(rest.Append(first));
        queue.Enqueue(Message(queue.Sent[1].Body, dequeueCount: 1));
        var received = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);

        // Assert
        Assert.Equal(published, received.Select(l => CallEventSerializer.TryDeserialize(l.Body).Value));
        var publishSpans = spans.Named(CallTrace.PublishSpan);
        foreach (var (leased, e) in received.Zip(published))
        {
            var span = Assert.Single(publishSpans, s => s.TraceId == CallTrace.ContextOf(e.ParentCallSid!).TraceId);
            Assert.Equal($"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01", leased.TraceParent);
            Assert.Equal(CallEventMessageId.For(e), leased.MessageId);
        }
    }

    // Receive and settle

    [Fact]
    public async Task ReceiveAsync_Pack_OneLeasePerEventWithItsOwnIdTraceAndAttempts()
    {
        // Arrange
        queue.Enqueue(Pack(dequeueCount: 5,
            new PackedEvent("a", 0, 4, Payload(Event(1)), "00-11111111111111111111111111111111-2222222222222222-01"),
            new PackedEvent("b", 2, 3, Payload(Event(2)), null)));

        // Act
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Assert
        Assert.Equal(["a", "b"], leased.Select(l => l.MessageId));
        Assert.Equal([Event(1), Event(2)], leased.Select(l => CallEventSerializer.TryDeserialize(l.Body).Value));
        Assert.Equal("00-11111111111111111111111111111111-2222222222222222-01", leased[0].TraceParent);
        Assert.Null(leased[1].TraceParent);
        // Handed back at delivery 4, now delivery 5: no lost lease. Handed back at 3: delivery 4's lease was lost.
        Assert.Equal([0, 3], leased.Select(l => l.Attempts));
        Assert.All(leased, l => Assert.Equal(5, l.DeliveryCount));
    }

    [Fact]
    public async Task Settle_AllCompleted_OneDeleteOfTheMessage()
    {
        // Arrange
        var message = queue.Enqueue(Pack(1, Packed("a", Event(1)), Packed("b", Event(2)), Packed("c", Event(3))));
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        await Task.WhenAll(leased.Select(l => l.CompleteAsync(CancellationToken.None)));

        // Assert
        Assert.Equal([message.MessageId], queue.Deleted);
        Assert.Empty(queue.Updated);
        Assert.Empty(poison.Sent);
    }

    [Fact]
    public async Task Settle_OneDeadLettered_ItAloneGoesToThePoisonQueueAndTheMessageIsDeleted()
    {
        // Arrange
        var message = queue.Enqueue(Pack(2, Packed("a", Event(1)), Packed("b", Event(2)), Packed("c", Event(3))));
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        await Task.WhenAll(
            leased[0].CompleteAsync(CancellationToken.None),
            leased[1].DeadLetterAsync(ActivityWriter.InvalidActivityKey, "Cannot key a row.", CancellationToken.None),
            leased[2].CompleteAsync(CancellationToken.None));

        // Assert
        var sent = Assert.Single(poison.Sent);
        var dead = PoisonCallEvent.Parse(sent.Body.ToString())!;
        Assert.Equal(("b", ActivityWriter.InvalidActivityKey, "Cannot key a row.", 2), (dead.MessageId, dead.Reason, dead.Description, dead.DeliveryCount));
        Assert.Equal(Event(2), CallEventSerializer.TryDeserialize(dead.Body).Value);
        Assert.Equal(TimeSpan.FromSeconds(-1), sent.TimeToLive);
        Assert.Equal([message.MessageId], queue.Deleted);
        Assert.Empty(queue.Updated);
    }

    [Fact]
    public async Task Settle_OneRetried_MessageRewrittenToThatEventWithOneMoreAttemptHiddenForItsDelay()
    {
        // Arrange
        var message = queue.Enqueue(Pack(3, Packed("a", Event(1)), new PackedEvent("b", 1, 2, Payload(Event(2)), "00-11111111111111111111111111111111-2222222222222222-01")));
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        await Task.WhenAll(
            leased[0].CompleteAsync(CancellationToken.None),
            leased[1].RetryLaterAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        // Assert
        var update = Assert.Single(queue.Updated);
        Assert.Equal((message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(10)), (update.MessageId, update.PopReceipt, update.Visibility));
        var kept = Assert.Single(CallEventPack.Read(update.Body.ToString()));
        // 1 attempt before, delivery 3 after a hand-back at 2 (no lost lease), and this retry.
        Assert.Equal(new PackedEvent("b", 2, 3, Payload(Event(2)), "00-11111111111111111111111111111111-2222222222222222-01"), kept);
        Assert.Empty(queue.Deleted);
        Assert.Empty(queue.Sent);
    }

    [Fact]
    public async Task Settle_Mixed_EachEventGetsItsOwnFateAndDelay()
    {
        // Arrange
        var message = queue.Enqueue(Pack(1,
            Packed("done", Event(1)), Packed("back", Event(2)), Packed("soon", Event(3)), new PackedEvent("late", 4, 0, Payload(Event(4)), null),
            Packed("bad", Event(5)), Packed("soon2", Event(6))));
        var leased = (await Queues().ReceiveAsync(32, NoWait, CancellationToken.None)).ToDictionary(l => l.MessageId);

        // Act
        await Task.WhenAll(
            leased["done"].CompleteAsync(CancellationToken.None),
            leased["back"].AbandonAsync(CancellationToken.None),
            leased["soon"].RetryLaterAsync(TimeSpan.FromSeconds(5), CancellationToken.None),
            leased["late"].RetryLaterAsync(TimeSpan.FromSeconds(80), CancellationToken.None),
            leased["bad"].DeadLetterAsync(ActivityWriter.MaxDeliveryExceeded, "Failed 10 times.", CancellationToken.None),
            leased["soon2"].RetryLaterAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        // Assert: the hand-back keeps the message (visible at once), each retry delay is a new hidden message.
        var update = Assert.Single(queue.Updated);
        Assert.Equal(TimeSpan.Zero, update.Visibility);
        Assert.Equal([new PackedEvent("back", 0, 1, Payload(Event(2)), null)], CallEventPack.Read(update.Body.ToString()));
        var retries = queue.Sent.OrderBy(s => s.Visibility).ToList();
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(80)], retries.Select(s => s.Visibility));
        Assert.Equal(
            [new PackedEvent("soon", 1, 0, Payload(Event(3)), null), new PackedEvent("soon2", 1, 0, Payload(Event(6)), null)],
            CallEventPack.Read(retries[0].Body.ToString()));
        Assert.Equal([new PackedEvent("late", 5, 0, Payload(Event(4)), null)], CallEventPack.Read(retries[1].Body.ToString()));
        Assert.Equal("bad", PoisonCallEvent.Parse(Assert.Single(poison.Sent).Body.ToString())!.MessageId);
        Assert.Empty(queue.Deleted);
        Assert.Equal(message.MessageId, update.MessageId);
    }

    [Fact]
    public async Task Settle_DeleteFails_EveryEventsSettleFails()
    {
        // Arrange
        queue.Enqueue(Pack(1, Packed("a", Event(1)), Packed("b", Event(2))));
        queue.FailDeletes = new RequestFailedException(404, "The pop receipt does not match.", "PopReceiptMismatch", null);
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        var settles = leased.Select(l => l.CompleteAsync(CancellationToken.None)).ToArray();

        // Assert
        foreach (var settle in settles)
        {
            Assert.Equal("PopReceiptMismatch", (await Assert.ThrowsAsync<RequestFailedException>(() => settle)).ErrorCode);
        }
    }

    [Fact]
    public async Task Settle_PoisonSendFails_MessageLeftForItsLeaseAndEverySettleFails()
    {
        // Arrange
        queue.Enqueue(Pack(1, Packed("a", Event(1)), Packed("b", Event(2))));
        poison.FailSends = new RequestFailedException(503, "The server is busy.");
        var leased = await Queues().ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        var settles = new[]
        {
            leased[0].CompleteAsync(CancellationToken.None),
            leased[1].DeadLetterAsync(ActivityWriter.MaxDeliveryExceeded, "Failed 10 times.", CancellationToken.None),
        };

        // Assert
        foreach (var settle in settles) await Assert.ThrowsAsync<RequestFailedException>(() => settle);
        Assert.Empty(queue.Deleted);
        Assert.Empty(queue.Updated);
    }

    [Fact]
    public async Task Settle_ASiblingNeverSettled_TheOthersFailOnceTheLeaseRunsOutAndTheMessageIsLeft()
    {
        // Arrange
        queue.Enqueue(Pack(1, Packed("a", Event(1)), Packed("b", Event(2))));
        var leased = await Queues(lease: TimeSpan.FromMilliseconds(200)).ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act
        var error = await Assert.ThrowsAsync<TimeoutException>(() => leased[0].CompleteAsync(CancellationToken.None));

        // Assert
        Assert.Contains("lease ran out", error.Message);
        Assert.Empty(queue.Deleted);
        Assert.Empty(queue.Updated);
    }

    [Fact]
    public async Task Settle_Twice_Refused()
    {
        queue.Enqueue(Pack(1, Packed("a", Event(1))));
        var leased = Assert.Single(await Queues().ReceiveAsync(32, NoWait, CancellationToken.None));
        await leased.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => leased.AbandonAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReceiveAsync_MoreEventsThanAskedFor_LastMessageWholeAndMessagesBeyondHandedBackWithoutSpendingAnAttempt()
    {
        // Arrange
        var whole = queue.Enqueue(Pack(1, Packed("a", Event(1)), Packed("b", Event(2))));
        var last = queue.Enqueue(Pack(2, Packed("c", Event(3)), new PackedEvent("d", 1, 1, Payload(Event(4)), null)));
        var surplus = queue.Enqueue(Pack(1, Packed("e", Event(5)), new PackedEvent("f", 2, 0, Payload(Event(6)), null)));

        // Act
        var leased = await Queues().ReceiveAsync(3, NoWait, CancellationToken.None);
        var updatedOnReceive = queue.Updated.ToList();
        await Task.WhenAll(leased.Select(l => l.CompleteAsync(CancellationToken.None)));

        // Assert
        Assert.Equal(["a", "b", "c", "d"], leased.Select(l => l.MessageId));
        var back = Assert.Single(updatedOnReceive);
        Assert.Equal((surplus.MessageId, TimeSpan.Zero), (back.MessageId, back.Visibility));
        Assert.Equal(
            [new PackedEvent("e", 0, 1, Payload(Event(5)), null), new PackedEvent("f", 2, 1, Payload(Event(6)), null)],
            CallEventPack.Read(back.Body.ToString()));
        Assert.Equal(new[] { whole.MessageId, last.MessageId }.Order(), queue.Deleted.Order());
        Assert.Single(queue.Updated);
    }

    // Messages written before packing

    [Fact]
    public async Task ReceiveAsync_PlainSingleEventMessage_OneLeaseKnownByTheQueueMessageId()
    {
        // Arrange
        var message = queue.Enqueue(Message(BinaryData.FromString(Payload(Event(1))), dequeueCount: 2));
        var leased = Assert.Single(await Queues().ReceiveAsync(32, NoWait, CancellationToken.None));

        // Act
        await leased.AbandonAsync(CancellationToken.None);

        // Assert: a lost lease before (delivery 2, never handed back) is one attempt; the hand-back keeps the old form.
        Assert.Equal((message.MessageId, 1, Event(1)), (leased.MessageId, leased.Attempts, CallEventSerializer.TryDeserialize(leased.Body).Value));
        var update = Assert.Single(queue.Updated);
        Assert.Contains("playbooksRetry", update.Body.ToString());
        Assert.DoesNotContain(CallEventPack.Marker, update.Body.ToString());
        Assert.Equal(new PackedEvent(null, 1, 2, Payload(Event(1)), null), Assert.Single(CallEventPack.Read(update.Body.ToString())));
    }

    [Fact]
    public async Task ReceiveAsync_RetryEnvelope_AttemptsAndTraceKept()
    {
        // Arrange
        var envelope = new RetryEnvelope(3, 4, Payload(Event(1))) { TraceParent = "00-11111111111111111111111111111111-2222222222222222-01" };
        queue.Enqueue(Message(BinaryData.FromString(envelope.Write()), dequeueCount: 5));

        // Act
        var leased = Assert.Single(await Queues().ReceiveAsync(32, NoWait, CancellationToken.None));
        await leased.DeadLetterAsync(ActivityWriter.MaxDeliveryExceeded, "Failed 3 times.", CancellationToken.None);

        // Assert
        Assert.Equal((3, envelope.TraceParent), (leased.Attempts, leased.TraceParent));
        var dead = PoisonCallEvent.Parse(Assert.Single(poison.Sent).Body.ToString())!;
        Assert.Equal((leased.MessageId, Payload(Event(1))), (dead.MessageId, dead.Body));
        Assert.Single(queue.Deleted);
    }

    [Theory]
    [InlineData("""{"playbooksPack":2,"events":[{"attempts":0,"handedBack":0,"payload":"{}"}]}""")]
    [InlineData("""{"playbooksPack":1,"events":[]}""")]
    [InlineData("""{"playbooksPack":1,"events":[{"attempts":"x","handedBack":0,"payload":"{}"}]}""")]
    [InlineData("""{"playbooksPack":1,"events":""")]
    [InlineData("""{"playbooksRetry":{"attempts":"x","handedBack":0},"payload":"{}"}""")]
    public async Task ReceiveAsync_UnreadablePack_OneEventWithTheWholeBodyForTheWriterToDeadLetter(string body)
    {
        queue.Enqueue(Message(BinaryData.FromString(body), dequeueCount: 1));

        var leased = Assert.Single(await Queues().ReceiveAsync(32, NoWait, CancellationToken.None));

        Assert.Equal(body, leased.Body);
        Assert.NotNull(CallEventSerializer.TryDeserialize(leased.Body).Failure);
    }

    private static string Payload(CallEventMessage e) => CallEventSerializer.Serialize(e);

    private static PackedEvent Packed(string id, CallEventMessage e) => new(id, 0, 0, Payload(e), null);

    private static QueueMessage Pack(long dequeueCount, params PackedEvent[] events) => Message(CallEventPack.Write(events), dequeueCount);

    private static QueueMessage Message(BinaryData body, long dequeueCount) =>
        QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "pop-" + Guid.NewGuid(), body, dequeueCount, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow);

    private static List<CallEventMessage> Events(BinaryData body) =>
        CallEventPack.Read(body.ToString()).Select(p => CallEventSerializer.TryDeserialize(p.Payload).Value!).ToList();

    private sealed record Sent(BinaryData Body, TimeSpan? Visibility, TimeSpan? TimeToLive);

    private sealed record Update(string MessageId, string PopReceipt, BinaryData Body, TimeSpan Visibility);

    /// <summary>A strict mock of one queue that records what was sent, updated and deleted, and can hold sends open.</summary>
    private sealed class FakeQueue
    {
        private readonly ConcurrentQueue<TaskCompletionSource> holds = new();
        private readonly List<QueueMessage> waiting = [];
        private readonly Lock gate = new();
        private readonly List<Sent> sent = [];
        private readonly List<Update> updated = [];
        private readonly List<string> deleted = [];

        public FakeQueue()
        {
            var mock = new Mock<QueueClient>(MockBehavior.Strict);
            mock.Setup(q => q.SendMessageAsync(It.IsAny<BinaryData>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
                .Returns((BinaryData body, TimeSpan? visibility, TimeSpan? ttl, CancellationToken _) => SendAsync(new Sent(body, visibility, ttl)));
            mock.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync((int? count, TimeSpan? _, CancellationToken _) =>
                {
                    lock (gate)
                    {
                        var taken = waiting.Take(count ?? 1).ToArray();
                        waiting.RemoveRange(0, taken.Length);
                        return Response.FromValue(taken, Mock.Of<Response>());
                    }
                });
            mock.Setup(q => q.UpdateMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<BinaryData>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync((string id, string pop, BinaryData body, TimeSpan visibility, CancellationToken _) =>
                {
                    lock (gate) updated.Add(new Update(id, pop, body, visibility));
                    return Response.FromValue(QueuesModelFactory.UpdateReceipt("pop-next", DateTimeOffset.UtcNow + visibility), Mock.Of<Response>());
                });
            mock.Setup(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .Returns((string id, string _, CancellationToken _) =>
                {
                    if (FailDeletes is { } failure) return Task.FromException<Response>(failure);
                    lock (gate) deleted.Add(id);
                    return Task.FromResult(Mock.Of<Response>());
                });
            Client = mock.Object;
        }

        public QueueClient Client { get; }

        public RequestFailedException? FailDeletes { get; set; }

        public RequestFailedException? FailSends { get; set; }

        public List<Sent> Sent
        {
            get
            {
                lock (gate) return [.. sent];
            }
        }

        public List<Update> Updated
        {
            get
            {
                lock (gate) return [.. updated];
            }
        }

        public List<string> Deleted
        {
            get
            {
                lock (gate) return [.. deleted];
            }
        }

        public QueueMessage Enqueue(QueueMessage message)
        {
            lock (gate) waiting.Add(message);
            return message;
        }

        /// <summary>The next send not yet held stays in flight until the returned source is completed.</summary>
        public TaskCompletionSource HoldNextSend()
        {
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            holds.Enqueue(hold);
            return hold;
        }

        public async Task WaitForSendsAsync(int count)
        {
            for (var i = 0; i < 1_000 && Sent.Count < count; i++) await Task.Delay(10);
            Assert.True(Sent.Count >= count, $"Only {Sent.Count} of {count} sends started.");
        }

        private async Task<Response<SendReceipt>> SendAsync(Sent message)
        {
            lock (gate) sent.Add(message);
            if (holds.TryDequeue(out var hold)) await hold.Task;
            if (FailSends is { } failure) throw failure;
            var now = DateTimeOffset.UtcNow;
            return Response.FromValue(QueuesModelFactory.SendReceipt(Guid.NewGuid().ToString(), now, now.AddDays(7), "pop", now), Mock.Of<Response>());
        }
    }
}
