using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Calls;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Calls;

public class CallFunctionsTests
{
    private static readonly Caller Rep = new("org-1", "user-1", "Rep", new HashSet<string> { AppRoles.Rep });

    // The services are mocked whole; their collaborators are never reached.
    private readonly Mock<CallTokenService> _tokens = new(MockBehavior.Strict, null!, null!, null!, null!, null!, null!);

    private readonly Mock<CallService> _calls =
        new(MockBehavior.Strict, null!, null!, null!, null!, null!, null!, null!, null!, null!, null!, Webhooks.TwilioRequests.Options, null!, null!);

    private static HttpRequest SignedIn(string? json = null)
    {
        var http = new DefaultHttpContext();
        http.Items[typeof(Caller)] = Rep;
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json ?? ""));
        http.Response.Body = new MemoryStream();
        return http.Request;
    }

    private static ProblemResponse ProblemOf(IActionResult result) => Assert.IsType<ProblemActionResult>(result).Problem;

    [Fact]
    public async Task Token_AllowedUser_Returns200WithTheTokenAndForbidsCaching()
    {
        // Arrange
        var token = new CallToken("jwt", "org_2D1__user_2D1", DateTimeOffset.UnixEpoch, new DeviceOptions(["roaming"], ["pcmu", "opus"], "leave?"));
        _tokens.Setup(t => t.IssueAsync(Rep, It.IsAny<CancellationToken>())).ReturnsAsync(token);
        var request = SignedIn();

        // Act
        var result = await new CallTokenFunction(_tokens.Object).Run(request, CancellationToken.None);

        // Assert
        Assert.Same(token, Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Token_RateLimited_Returns429WithRetryAfter()
    {
        // Arrange
        _tokens.Setup(t => t.IssueAsync(Rep, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Failure(FailureKind.RateLimited, CallTokenService.RateLimited, "Slow down.") { RetryAfter = TimeSpan.FromSeconds(17) });
        var request = SignedIn();

        // Act
        var result = await new CallTokenFunction(_tokens.Object).Run(request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(request.HttpContext, new RouteData(), new ActionDescriptor()));

        // Assert
        Assert.Equal(429, request.HttpContext.Response.StatusCode);
        Assert.Equal("17", request.HttpContext.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Start_RateLimited_Returns429ProblemWithRetryAfter()
    {
        // Arrange
        _calls.Setup(c => c.StartPhoneCallAsync(Rep, It.IsAny<PhoneCallRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Failure(FailureKind.RateLimited, CallService.RateLimited, "Slow down.") { RetryAfter = TimeSpan.FromSeconds(34) });
        var request = SignedIn("""{"to":"+12015550123"}""");

        // Act
        var result = await new StartCallFunction(_calls.Object).Run(request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(request.HttpContext, new RouteData(), new ActionDescriptor()));

        // Assert
        Assert.Equal(429, request.HttpContext.Response.StatusCode);
        Assert.Equal("34", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(CallService.RateLimited, ProblemOf(result).Code);
        Assert.StartsWith(Problems.ContentType, request.HttpContext.Response.ContentType);
    }

    [Fact]
    public async Task Token_Refused_Returns403WithTheReasonCode()
    {
        // Arrange
        _tokens.Setup(t => t.IssueAsync(Rep, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Forbidden(CallTokenService.PreferenceIsPhone, "Switch to computer."));

        // Act
        var result = await new CallTokenFunction(_tokens.Object).Run(SignedIn(), CancellationToken.None);

        // Assert
        Assert.Equal((403, CallTokenService.PreferenceIsPhone), (ProblemOf(result).Status, ProblemOf(result).Code));
    }

    [Fact]
    public async Task Start_ValidBody_Returns201WithTheCallSid()
    {
        // Arrange
        _calls.Setup(c => c.StartPhoneCallAsync(Rep, new PhoneCallRequest("+12015550123", "003xx"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new StartedCall("CA01"));

        // Act
        var result = await new StartCallFunction(_calls.Object).Run(SignedIn("""{"to":"+12015550123","whoId":"003xx"}"""), CancellationToken.None);

        // Assert
        var created = Assert.IsType<ObjectResult>(result);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(new StartedCall("CA01"), created.Value);
    }

    [Fact]
    public async Task Start_MalformedBody_Returns400AndPlacesNoCall()
    {
        // Act
        var result = await new StartCallFunction(_calls.Object).Run(SignedIn("""{"to":"""), CancellationToken.None);

        // Assert
        Assert.Equal(400, ProblemOf(result).Status);
        _calls.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Start_BadDestination_Returns400NamingTo()
    {
        // Arrange
        _calls.Setup(c => c.StartPhoneCallAsync(Rep, It.IsAny<PhoneCallRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Invalid("to", "Premium.", DestinationPolicy.PremiumRate));

        // Act
        var result = await new StartCallFunction(_calls.Object).Run(SignedIn("""{"to":"+19002345678"}"""), CancellationToken.None);

        // Assert
        Assert.Equal((400, "to"), (ProblemOf(result).Status, ProblemOf(result).Field));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task End_OwnCall_Returns200WithWhetherItWasEnded(bool ended)
    {
        // Arrange
        _calls.Setup(c => c.EndCallAsync(Rep, "CA01", It.IsAny<CancellationToken>())).ReturnsAsync(new EndedCall(ended));

        // Act
        var result = await new EndCallFunction(_calls.Object).Run(SignedIn(), "CA01", CancellationToken.None);

        // Assert
        Assert.Equal(new EndedCall(ended), Assert.IsType<OkObjectResult>(result).Value);
    }

    [Fact]
    public async Task End_NotTheCallersCall_Returns404()
    {
        // Arrange
        _calls.Setup(c => c.EndCallAsync(Rep, "CA01", It.IsAny<CancellationToken>())).ReturnsAsync(Failure.NotFound("Call"));

        // Act
        var result = await new EndCallFunction(_calls.Object).Run(SignedIn(), "CA01", CancellationToken.None);

        // Assert
        Assert.Equal(404, ProblemOf(result).Status);
    }
}
