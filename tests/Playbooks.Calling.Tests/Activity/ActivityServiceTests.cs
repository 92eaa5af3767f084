using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.CallEvents;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityServiceTests
{
    private readonly Mock<ActivityStore> store = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);
    private readonly Mock<IActivityObserver> observer = new(MockBehavior.Strict);
    private readonly CallEvents events = new();

    private static ActivityKey Key => new(CallEvents.OrgId, CallEvents.AgentSid);

    private ActivityService Service() => new(store.Object, observer.Object);

    /// <summary>The store applies changes to <paramref name="stored"/> as it would to the table row.</summary>
    private void Stored(CallActivity? stored)
    {
        store.Setup(s => s.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        store.Setup(s => s.UpdateAsync(Key, It.IsAny<Func<CallActivity?, CallActivity>>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ActivityKey _, Func<CallActivity?, CallActivity> change, bool _, CancellationToken _) => new ActivityChange(stored, change(stored)));
    }

    [Fact]
    public async Task ApplyAsync_AgentLegStatus_WritesNothing()
    {
        var result = await Service().ApplyAsync(events.AgentStatus(CallStatus.Ringing, 1, 1));

        Assert.Null(result);
        store.VerifyNoOtherCalls();
        observer.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyAsync_ProspectStatus_SavesMergeAndRunsCrmStep()
    {
        // Arrange
        var e = events.Status(CallStatus.Completed, 3, 40, 31);
        Stored(null);
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        // Act
        var result = await Service().ApplyAsync(e);

        // Assert
        Assert.Equal(CallOutcome.Connected, result!.Outcome);
        Assert.Equal(31, result.DurationSeconds);
        observer.Verify(o => o.OnMergedAsync(It.Is<ActivityChange>(c => c.Previous == null && c.Current == result), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ApplyAsync_CrmStepFails_Throws()
    {
        Stored(null);
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("CRM down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => Service().ApplyAsync(events.Status(CallStatus.Ringing, 1, 3)));
    }

    [Theory]
    [InlineData(CallStatus.Initiated, true)]
    [InlineData(CallStatus.Queued, true)]
    [InlineData(CallStatus.Ringing, false)]
    [InlineData(CallStatus.Completed, false)]
    public async Task ApplyAsync_GroupWithACallsFirstCallback_StoreMayCreateWithoutReading(CallStatus first, bool likelyNew)
    {
        // Arrange
        Stored(null);
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        // Act
        await Service().ApplyAsync([events.Status(first, 0, 0), events.Status(CallStatus.Ringing, 1, 2)]);

        // Assert
        store.Verify(s => s.UpdateAsync(Key, It.IsAny<Func<CallActivity?, CallActivity>>(), likelyNew, It.IsAny<CancellationToken>()), Times.Once);
    }
}
