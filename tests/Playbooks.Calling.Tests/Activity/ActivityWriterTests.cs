using Azure;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Tests.CallEvents;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>The writer over the Service Bus adapter with a mocked receiver: how each message is settled.</summary>
public class ActivityWriterTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(55);

    private readonly Mock<ServiceBusReceiver> receiver = new(MockBehavior.Strict);
    private readonly Mock<ServiceBusSender> sender = new(MockBehavior.Strict);
    private readonly List<ServiceBusMessage> copies = [];
    private readonly Mock<ActivityService> activities = new(MockBehavior.Strict, null!, null!, null!);
    private readonly FakeTimeProvider time = new();
    private readonly CallEventsOptions options = new() { MaxParallelism = 4 };
    private readonly CallEvents events = new();

    private ActivityWriter Writer() => new(
        new ServiceBusCallEventSource(receiver.Object, sender.Object, time), activities.Object, Options.Create(options), time, NullLogger<ActivityWriter>.Instance);

    private static ServiceBusReceivedMessage Message(string body, int deliveryCount = 1, string? id = null, int attempts = 0) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: id ?? Guid.NewGuid().ToString("N"), deliveryCount: deliveryCount,
            lockTokenGuid: Guid.NewGuid(), contentType: "application/json",
            properties: attempts == 0 ? null : new Dictionary<string, object> { [ServiceBusCallEventSource.AttemptsProperty] = attempts });

    private static ServiceBusReceivedMessage Message(CallEventMessage e, int deliveryCount = 1, int attempts = 0) =>
        Message(CallEventSerializer.Serialize(e), deliveryCount, CallEventMessageId.For(e), attempts);

    /// <summary>The writer's call for a group of exactly these events, in this order.</summary>
    private static IReadOnlyList<CallEventMessage> Group(params CallEventMessage[] group) =>
        Match.Create<IReadOnlyList<CallEventMessage>>(l => l.SequenceEqual(group));

    /// <summary>The same event of another call (call number <paramref name="call"/>).</summary>
    private static CallEventMessage OfCall(CallEventMessage e, int call) => Rekeyed.Call([e], CallEvents.OrgId, call)[0];

    private void Batches(params ServiceBusReceivedMessage[][] batches)
    {
        var sequence = receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()));
        foreach (var batch in batches) sequence = sequence.ReturnsAsync(batch);
        sequence.ReturnsAsync([]);
    }

    private void Completes() => receiver
        .Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

    /// <summary>Hand-backs and retries: a scheduled copy is sent, then the original completed.</summary>
    private void Requeues()
    {
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => { lock (copies) copies.Add(m); })
            .Returns(Task.CompletedTask);
        Completes();
    }

    private void DeadLetters() => receiver
        .Setup(r => r.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
        .Returns(Task.CompletedTask);

    [Fact]
    public async Task DrainAsync_ValidEvent_MergesAndCompletes()
    {
        // Arrange
        var e = events.Status(CallStatus.Ringing, 1, 3);
        var message = Message(e);
        Batches([message]);
        Completes();
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([e]));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert
        Assert.Equal(new DrainResult(1, 1, 0, 0, 0), result);
        receiver.Verify(r => r.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        activities.Verify(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DrainAsync_EventsOfOneCallInABatch_OneMergeForThemAndEachCompletedAfterIt()
    {
        // Arrange: three events of one call around one of another call, in the order received.
        var ringing = events.Status(CallStatus.Ringing, 1, 3);
        var answered = events.Status(CallStatus.InProgress, 2, 9);
        var other = OfCall(events.Status(CallStatus.Ringing, 1, 3), 2);
        var ended = events.Status(CallStatus.Completed, 3, 40, 31);
        Batches([Message(ringing), Message(other), Message(answered), Message(ended)]);
        var merged = 0;
        var completedBeforeMerge = 0;
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusReceivedMessage m, CancellationToken _) =>
            {
                if (m.MessageId != CallEventMessageId.For(other) && Volatile.Read(ref merged) == 0) Interlocked.Increment(ref completedBeforeMerge);
            })
            .Returns(Task.CompletedTask);
        activities.Setup(a => a.ApplyAsync(Group(ringing, answered, ended), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                await Task.Delay(20);
                Interlocked.Increment(ref merged);
                return CallEvents.MergeAll([ringing, answered, ended]);
            });
        activities.Setup(a => a.ApplyAsync(Group(other), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([other]));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert
        Assert.Equal(new DrainResult(4, 4, 0, 0, 0), result);
        activities.Verify(a => a.ApplyAsync(Group(ringing, answered, ended), It.IsAny<CancellationToken>()), Times.Once);
        activities.Verify(a => a.ApplyAsync(Group(other), It.IsAny<CancellationToken>()), Times.Once);
        activities.VerifyNoOtherCalls();
        Assert.Equal(0, completedBeforeMerge);
        receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(4));
    }

    [Fact]
    public async Task DrainAsync_GroupFails_EachEventRetriedAfterItsOwnBackoff()
    {
        // Arrange: two events of one call, one on its first try, one that has failed three times already.
        var fresh = events.Status(CallStatus.Ringing, 1, 3);
        var tried = events.Status(CallStatus.Completed, 3, 40, 31);
        Batches([Message(fresh), Message(tried, attempts: 3)]);
        Requeues();
        activities.Setup(a => a.ApplyAsync(Group(fresh, tried), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Server busy"));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert: 5 s and one attempt for the first, 40 s and four attempts for the other.
        Assert.Equal(new DrainResult(2, 0, 2, 0, 0), result);
        var first = Assert.Single(copies, c => c.Body.ToString() == CallEventSerializer.Serialize(fresh));
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(5), first.ScheduledEnqueueTime);
        Assert.Equal(1, first.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
        var second = Assert.Single(copies, c => c.Body.ToString() == CallEventSerializer.Serialize(tried));
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(40), second.ScheduledEnqueueTime);
        Assert.Equal(4, second.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
    }

    [Fact]
    public async Task DrainAsync_StorageRejectsAGroup_DeadLettersOnlyTheEventAtFault()
    {
        // Arrange: the group's write is refused; alone, the first event is fine and the second is refused again.
        var fine = events.Status(CallStatus.Ringing, 1, 3);
        var refused = events.Disposition("Connected", "Call back Tuesday", 90);
        var fineMessage = Message(fine);
        var refusedMessage = Message(refused);
        Batches([fineMessage, refusedMessage]);
        Completes();
        DeadLetters();
        var tooLarge = new RequestFailedException(400, "Bad request", "PropertyValueTooLarge", null);
        activities.Setup(a => a.ApplyAsync(Group(fine, refused), It.IsAny<CancellationToken>())).ThrowsAsync(tooLarge);
        activities.Setup(a => a.ApplyAsync(Group(fine), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([fine]));
        activities.Setup(a => a.ApplyAsync(Group(refused), It.IsAny<CancellationToken>())).ThrowsAsync(tooLarge);

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert
        Assert.Equal(new DrainResult(2, 1, 0, 1, 0), result);
        receiver.Verify(r => r.CompleteMessageAsync(fineMessage, It.IsAny<CancellationToken>()), Times.Once);
        receiver.Verify(r => r.DeadLetterMessageAsync(refusedMessage, ActivityWriter.ActivityWriteRejected, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        receiver.Verify(r => r.DeadLetterMessageAsync(fineMessage, It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task DrainAsync_PoisonNextToAGroup_DeadLettersThePoisonAndMergesTheRest()
    {
        var ringing = events.Status(CallStatus.Ringing, 1, 3);
        var answered = events.Status(CallStatus.InProgress, 2, 9);
        var poison = Message("not json {");
        Batches([Message(ringing), poison, Message(answered)]);
        Completes();
        DeadLetters();
        activities.Setup(a => a.ApplyAsync(Group(ringing, answered), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([ringing, answered]));

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(new DrainResult(3, 2, 0, 1, 0), result);
        receiver.Verify(r => r.DeadLetterMessageAsync(poison, CallEventSerializer.UnparseablePayload, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DrainAsync_StorageFails_SchedulesARetryAfterTheBaseDelay()
    {
        // Arrange
        var failing = events.Status(CallStatus.Completed, 3, 40, 31);
        var fine = OfCall(events.Status(CallStatus.Ringing, 1, 3), 2);
        Batches([Message(failing), Message(fine)]);
        Requeues();
        activities.Setup(a => a.ApplyAsync(Group(failing), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Server busy"));
        activities.Setup(a => a.ApplyAsync(Group(fine), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([fine]));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert: no abandon (which would spend a delivery); a copy due in 5 s carrying one attempt.
        Assert.Equal(new DrainResult(2, 1, 1, 0, 0), result);
        var copy = Assert.Single(copies);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(5), copy.ScheduledEnqueueTime);
        Assert.Equal(1, copy.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
        Assert.Equal(CallEventSerializer.Serialize(failing), copy.Body.ToString());
        receiver.Verify(r => r.CompleteMessageAsync(It.Is<ServiceBusReceivedMessage>(m => m.MessageId == CallEventMessageId.For(failing)), It.IsAny<CancellationToken>()), Times.Once);
        receiver.Verify(r => r.CompleteMessageAsync(It.Is<ServiceBusReceivedMessage>(m => m.MessageId == CallEventMessageId.For(fine)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 40)]
    [InlineData(6, 300)]
    [InlineData(9, 300)]
    public async Task DrainAsync_FailsAgain_DelayDoublesUpToTheCap(int attemptsSoFar, int expectedSeconds)
    {
        var e = events.Status(CallStatus.Completed, 3, 40, 31);
        Batches([Message(e, attempts: attemptsSoFar)]);
        Requeues();
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Server busy"));

        await Writer().DrainAsync(Budget, CancellationToken.None);

        var copy = Assert.Single(copies);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(expectedSeconds), copy.ScheduledEnqueueTime);
        Assert.Equal(attemptsSoFar + 1, copy.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
    }

    [Fact]
    public async Task DrainAsync_StorageRejectsTheActivity_DeadLettersWithoutRetrying()
    {
        var e = events.Status(CallStatus.Completed, 3, 40, 31);
        var message = Message(e);
        Batches([message]);
        DeadLetters();
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(400, "Bad request", "PropertyValueTooLarge", null));

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.DeadLettered);
        receiver.Verify(r => r.DeadLetterMessageAsync(message, ActivityWriter.ActivityWriteRejected, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(copies);
    }

    [Fact]
    public async Task DrainAsync_RetriedCopyAtTheAttemptLimit_DeadLettersMaxDeliveryExceeded()
    {
        var message = Message(events.Status(CallStatus.Ringing, 1, 3), attempts: 10);
        Batches([message]);
        DeadLetters();

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.DeadLettered);
        receiver.Verify(r => r.DeadLetterMessageAsync(message, ActivityWriter.MaxDeliveryExceeded, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        activities.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DrainAsync_UnknownVersion_DeadLettersWithReason()
    {
        var json = CallEventSerializer.Serialize(events.Status(CallStatus.Ringing, 1, 3)).Replace("\"version\":1", "\"version\":7");
        var message = Message(json);
        Batches([message]);
        DeadLetters();

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.DeadLettered);
        receiver.Verify(r => r.DeadLetterMessageAsync(message, CallEventSerializer.UnsupportedVersion, It.Is<string>(d => d.Contains('7')), It.IsAny<CancellationToken>()), Times.Once);
        activities.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DrainAsync_UnparseablePayload_DeadLettersWithReason()
    {
        var message = Message("not json {");
        Batches([message]);
        DeadLetters();

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.DeadLettered);
        receiver.Verify(r => r.DeadLetterMessageAsync(message, CallEventSerializer.UnparseablePayload, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        activities.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DrainAsync_DeliveredMoreThanTheLimit_DeadLettersMaxDeliveryExceeded()
    {
        var message = Message(events.Status(CallStatus.Ringing, 1, 3), deliveryCount: 11);
        Batches([message]);
        DeadLetters();

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.DeadLettered);
        receiver.Verify(r => r.DeadLetterMessageAsync(message, ActivityWriter.MaxDeliveryExceeded, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        activities.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DrainAsync_DeliveredExactlyTheLimit_StillProcesses()
    {
        var e = events.Status(CallStatus.Ringing, 1, 3);
        Batches([Message(e, deliveryCount: 10)]);
        Completes();
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([e]));

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(1, result.Completed);
    }

    [Fact]
    public async Task DrainAsync_BudgetNearlySpentAfterABatch_StopsReceiving()
    {
        // Arrange: the first batch takes 51 of 55 seconds, leaving less than the 5 s stop margin.
        var e = events.Status(CallStatus.Ringing, 1, 3);
        Batches([Message(e)], [Message(events.Status(CallStatus.InProgress, 2, 9))]);
        Completes();
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromSeconds(51)))
            .ReturnsAsync(CallEvents.MergeAll([e]));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert
        Assert.Equal(new DrainResult(1, 1, 0, 0, 0), result);
        receiver.Verify(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DrainAsync_BudgetRunsOutMidBatch_AbandonsWhatIsLeft()
    {
        // Arrange: one at a time; the first message uses up the whole budget.
        options.MaxParallelism = 1;
        var slow = events.Status(CallStatus.Ringing, 1, 3);
        var rest = new[] { OfCall(events.Status(CallStatus.InProgress, 2, 9), 2), OfCall(events.Status(CallStatus.Completed, 3, 40, 31), 3) };
        Batches([Message(slow), .. rest.Select(e => Message(e))]);
        Requeues();
        activities.Setup(a => a.ApplyAsync(Group(slow), It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(Budget))
            .ReturnsAsync(CallEvents.MergeAll([slow]));

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert: nothing left unsettled, nothing else processed.
        Assert.Equal(new DrainResult(3, 1, 2, 0, 0), result);
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c =>
        {
            Assert.Equal(0, c.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty]);
            Assert.Equal(time.GetUtcNow(), c.ScheduledEnqueueTime);
        });
        activities.Verify(a => a.ApplyAsync(It.IsAny<IReadOnlyList<CallEventMessage>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DrainAsync_HostStopsMidBatch_AbandonsWhatIsLeft()
    {
        options.MaxParallelism = 1;
        using var stopping = new CancellationTokenSource();
        var first = events.Status(CallStatus.Ringing, 1, 3);
        var second = OfCall(events.Status(CallStatus.InProgress, 2, 9), 2);
        Batches([Message(first), Message(second)]);
        Requeues();
        activities.Setup(a => a.ApplyAsync(Group(first), It.IsAny<CancellationToken>()))
            .Callback(stopping.Cancel)
            .ReturnsAsync(CallEvents.MergeAll([first]));

        var result = await Writer().DrainAsync(Budget, stopping.Token);

        Assert.Equal(new DrainResult(2, 1, 1, 0, 0), result);
    }

    [Fact]
    public async Task DrainAsync_LargeBatchOfManyCalls_NeverExceedsMaxParallelism()
    {
        // Arrange
        var batch = Enumerable.Range(0, 32).Select(i => Message(OfCall(events.Status(CallStatus.Ringing, i, 3), i + 1))).ToArray();
        Batches(batch);
        Completes();
        var running = 0;
        var peak = 0;
        activities.Setup(a => a.ApplyAsync(It.IsAny<IReadOnlyList<CallEventMessage>>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(5);
                Interlocked.Decrement(ref running);
                return null;
            });

        // Act
        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        // Assert
        Assert.Equal(32, result.Completed);
        Assert.InRange(peak, 2, options.MaxParallelism);
    }

    [Fact]
    public async Task DrainAsync_CompleteFails_CountsItAndGoesOn()
    {
        var e = events.Status(CallStatus.Ringing, 1, 3);
        Batches([Message(e)]);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost));
        activities.Setup(a => a.ApplyAsync(Group(e), It.IsAny<CancellationToken>())).ReturnsAsync(CallEvents.MergeAll([e]));

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(new DrainResult(1, 0, 0, 0, 1), result);
    }

    [Fact]
    public async Task DrainAsync_EmptyQueue_ReturnsAfterOneReceive()
    {
        Batches();

        var result = await Writer().DrainAsync(Budget, CancellationToken.None);

        Assert.Equal(new DrainResult(0, 0, 0, 0, 0), result);
        receiver.Verify(r => r.ReceiveMessagesAsync(options.BatchSize, options.ReceiveWait, It.IsAny<CancellationToken>()), Times.Once);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
