using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Recordings;
using Playbooks.Functions.Http;
using Playbooks.Functions.Recordings;

namespace Playbooks.Functions.Tests.Recordings;

public class RecordingPlaybackFunctionTests
{
    private static readonly Caller Rep = new("org-1", "rep-1", "Rita", new HashSet<string> { AppRoles.Rep });

    private readonly Mock<RecordingService> recordings = new(MockBehavior.Strict, null!, null!, null!, null!, null!);

    private static HttpRequest Request()
    {
        var http = new DefaultHttpContext();
        http.Items[typeof(Caller)] = Rep;
        return http.Request;
    }

    [Fact]
    public async Task Run_CallerMayHearIt_StreamsTheAudioPrivatelyWithoutCaching()
    {
        // Arrange
        var request = Request();
        var audio = new RecordingMedia(new MemoryStream(), new MemoryStream([82, 73, 70, 70]), "audio/wav", 4);
        recordings.Setup(r => r.OpenAsync(Rep, "CA01", It.IsAny<CancellationToken>())).ReturnsAsync(audio);

        // Act
        var result = await new RecordingPlaybackFunction(recordings.Object).Run(request, "CA01", CancellationToken.None);

        // Assert
        var file = Assert.IsType<FileStreamResult>(result);
        Assert.Equal("audio/wav", file.ContentType);
        Assert.Same(audio.Content, file.FileStream);
        Assert.Equal("private, no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", request.HttpContext.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal(4, request.HttpContext.Response.ContentLength);
    }

    [Fact]
    public async Task Run_NotTheCallersCall_Returns404Problem()
    {
        recordings.Setup(r => r.OpenAsync(Rep, "CA02", It.IsAny<CancellationToken>())).ReturnsAsync(Failure.NotFound("Recording"));

        var result = await new RecordingPlaybackFunction(recordings.Object).Run(Request(), "CA02", CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((404, "not-found"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Run_TwilioUnavailable_Returns503Problem()
    {
        recordings.Setup(r => r.OpenAsync(Rep, "CA01", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Failure(FailureKind.Unavailable, "recording-unavailable", "Try again."));

        var result = await new RecordingPlaybackFunction(recordings.Object).Run(Request(), "CA01", CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((503, "recording-unavailable"), (problem.Status, problem.Code));
    }
}
