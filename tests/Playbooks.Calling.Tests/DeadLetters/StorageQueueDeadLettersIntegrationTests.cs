using System.Text.Json;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Tests.CallEvents;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.DeadLetters;

[Collection(AzuriteCollection.Name)]
public class StorageQueueDeadLettersIntegrationTests
{
    private readonly TestCall events = new();

    [Fact]
    public async Task ReplayAsync_OneOfTwo_BackOnTheQueueAndTheOtherStillListed()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var deadLetters = new StorageQueueDeadLetters(queues);
        var ringing = events.Status(CallStatus.Ringing, 1, 3);
        var completed = events.Status(CallStatus.Completed, 3, 40, 31);
        await DeadLetterAsync(queues, ringing);
        await DeadLetterAsync(queues, completed);
        var listed = await deadLetters.PeekAsync(50, CancellationToken.None);
        var target = listed.Single(d => d.MessageId == CallEventMessageId.For(completed));

        // Act
        var replayed = await deadLetters.ReplayAsync(d => d.Id == target.Id, 1, CancellationToken.None);

        // Assert
        Assert.Equal(2, listed.Count);
        Assert.All(listed, d => Assert.Equal(TestCall.OrgId, d.OrgId));
        Assert.Equal("call-status", target.Kind);
        Assert.Equal(TestCall.ProspectSid, target.CallSid);
        Assert.Equal([target.Id], replayed.Select(d => d.Id));
        var back = Assert.Single(await queues.ReceiveAsync(32, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(completed, CallEventSerializer.TryDeserialize(back.Body).Value);
        var left = Assert.Single(await deadLetters.PeekAsync(50, CancellationToken.None));
        Assert.Equal(CallEventMessageId.For(ringing), left.MessageId);
    }

    [Fact]
    public async Task ReplayAsync_NothingSelected_ReplaysNothingAndKeepsEverythingVisible()
    {
        var queues = await TestQueues.CreateAsync();
        var deadLetters = new StorageQueueDeadLetters(queues);
        await DeadLetterAsync(queues, events.Status(CallStatus.Ringing, 1, 3));

        var replayed = await deadLetters.ReplayAsync(_ => false, 10, CancellationToken.None);

        Assert.Empty(replayed);
        Assert.Single(await deadLetters.PeekAsync(50, CancellationToken.None));
        Assert.Empty(await queues.ReceiveAsync(32, TimeSpan.Zero, CancellationToken.None));
    }

    private static async Task DeadLetterAsync(StorageQueueCallEvents queues, CallEventMessage e)
    {
        var dead = new PoisonCallEvent(CallEventMessageId.For(e), ActivityWriter.MaxDeliveryExceeded, "Failed 10 times.", 10, CallEventSerializer.Serialize(e));
        await queues.PoisonQueue.SendMessageAsync(BinaryData.FromString(JsonSerializer.Serialize(dead, PlaybooksJson.Options)));
    }
}
