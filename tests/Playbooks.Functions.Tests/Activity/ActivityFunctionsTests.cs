using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;
using Playbooks.Functions.Activity;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Activity;

public class ActivityFunctionsTests
{
    private static readonly Caller Rep = new("org-1", "rep-1", "Rita", new HashSet<string> { AppRoles.Rep });

    private readonly Mock<ActivityListService> activities = new(MockBehavior.Strict, null!, null!, null!, null!);
    private readonly Mock<DispositionService> dispositions = new(MockBehavior.Strict, null!, null!, null!, null!, null!, null!);

    private const string RecordingSid = "RE0123456789abcdef0123456789abcdef";

    private static readonly CallActivity Sample = new()
    {
        OrgId = "org-1",
        AgentCallSid = "CA01",
        ProspectCallSid = "CA02",
        UserId = "rep-1",
        Method = Calling.Orgs.CallingMethod.Phone,
        Status = CallStatus.Completed,
        DurationSeconds = 42,
        RecordingSid = RecordingSid,
        RecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/" + RecordingSid,
        RecordingDuration = 40,
        RecordingStatus = RecordingStatus.Completed,
        Disposition = "meeting-booked",
    };

    private static HttpRequest Request(string query = "", string? body = null)
    {
        var http = new DefaultHttpContext();
        http.Items[typeof(Caller)] = Rep;
        http.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            http.Request.ContentType = "application/json";
        }

        return http.Request;
    }

    [Fact]
    public async Task RecentCalls_Activities_ReturnsThemWithOutcomeRecordingAndCrmState()
    {
        activities.Setup(a => a.RecentAsync(Rep, It.IsAny<CancellationToken>())).ReturnsAsync(new[] { Sample });

        var result = await new RecentCallsFunction(activities.Object).Run(Request(), CancellationToken.None);

        var list = Assert.IsType<ActivityListResponse>(Assert.IsType<OkObjectResult>(result).Value);
        var item = Assert.Single(list.Items);
        Assert.Equal("CA01", item.CallSid);
        Assert.Equal(CallOutcome.Connected, item.Outcome);
        Assert.True(item.HasRecording);
        Assert.Equal(new RecordingResponse(40, RecordingStatus.Completed, "/api/calls/CA01/recording"), item.Recording);
        Assert.Equal(CrmSyncState.Pending, item.CrmSync.State);
        Assert.Equal("meeting-booked", item.Disposition);
    }

    [Fact]
    public void ActivityResponse_CompletedRecording_JsonHasOurPlaybackPathButNoTwilioUrlOrSid()
    {
        var json = JsonSerializer.Serialize(ActivityResponse.From(Sample), PlaybooksJson.Options);

        Assert.DoesNotContain("twilio.com", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(RecordingSid, json, StringComparison.Ordinal);
        Assert.Contains("\"hasRecording\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"playbackPath\":\"/api/calls/CA01/recording\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ActivityResponse_RecordingInProgress_NoRecordingToPlay()
    {
        var response = ActivityResponse.From(Sample with { RecordingStatus = RecordingStatus.InProgress, RecordingUrl = null, RecordingDuration = null });

        Assert.False(response.HasRecording);
        Assert.Equal(new RecordingResponse(null, RecordingStatus.InProgress, null), response.Recording);
    }

    [Fact]
    public void ActivityResponse_NoRecording_RecordingIsNull()
    {
        var response = ActivityResponse.From(Sample with { RecordingSid = null, RecordingUrl = null, RecordingStatus = null, RecordingDuration = null });

        Assert.False(response.HasRecording);
        Assert.Null(response.Recording);
    }

    [Fact]
    public async Task AdminCalls_QueryString_PassesFiltersAndPage()
    {
        // Arrange
        var expected = new ActivityFilter("rep-1", "phone", "busy", "2026-11-01", "2026-11-30");
        activities.Setup(a => a.ListAsync(Rep, expected, new PageRequest(20, "abc"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedList<CallActivity>([Sample], "next"));

        // Act
        var result = await new AdminCallsFunction(activities.Object).Run(
            Request("?userId=rep-1&method=phone&outcome=busy&from=2026-11-01&to=2026-11-30&pageSize=20&continuationToken=abc"),
            CancellationToken.None);

        // Assert
        var list = Assert.IsType<ActivityListResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal("next", list.ContinuationToken);
        Assert.Single(list.Items);
    }

    [Fact]
    public async Task AdminCalls_PageSizeNotANumber_Returns400PageSize()
    {
        var result = await new AdminCallsFunction(activities.Object).Run(Request("?pageSize=lots"), CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal(400, problem.Status);
        Assert.Equal("pageSize", problem.Field);
    }

    [Fact]
    public async Task Disposition_ValidBody_SavesForTheRouteCall()
    {
        dispositions.Setup(a => a.SetDispositionAsync(Rep, "CA01", new DispositionInput("meeting-booked", "Friday"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Sample);

        var result = await new CallDispositionFunction(dispositions.Object).Run(
            Request(body: "{\"disposition\":\"meeting-booked\",\"notes\":\"Friday\"}"), "CA01", CancellationToken.None);

        Assert.Equal("CA01", Assert.IsType<ActivityResponse>(Assert.IsType<OkObjectResult>(result).Value).CallSid);
    }

    [Fact]
    public async Task Disposition_NotFound_Returns404()
    {
        dispositions.Setup(a => a.SetDispositionAsync(Rep, "CA99", It.IsAny<DispositionInput>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.NotFound("Call"));

        var result = await new CallDispositionFunction(dispositions.Object).Run(
            Request(body: "{\"disposition\":\"busy\"}"), "CA99", CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ProblemActionResult>(result).Problem.Status);
    }

    [Fact]
    public async Task Disposition_MalformedBody_Returns400WithoutSaving()
    {
        var result = await new CallDispositionFunction(dispositions.Object).Run(Request(body: "{\"disposition\":"), "CA01", CancellationToken.None);

        Assert.Equal(400, Assert.IsType<ProblemActionResult>(result).Problem.Status);
        dispositions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ActivityWriterFunction_Run_DrainsWithinTheConfiguredBudget()
    {
        var options = new CallEventsOptions { DrainBudgetSeconds = 40 };
        var writer = new Mock<ActivityWriter>(MockBehavior.Strict, null!, null!, null!, null!, null!);
        writer.Setup(w => w.DrainAsync(TimeSpan.FromSeconds(40), It.IsAny<CancellationToken>())).ReturnsAsync(new DrainResult(3, 3, 0, 0, 0));

        await new ActivityWriterFunction(writer.Object, Options.Create(options), NullLogger<ActivityWriterFunction>.Instance)
            .Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        writer.Verify(w => w.DrainAsync(TimeSpan.FromSeconds(40), It.IsAny<CancellationToken>()), Times.Once);
    }
}
