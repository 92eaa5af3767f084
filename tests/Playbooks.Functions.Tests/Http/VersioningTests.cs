using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling;
using Playbooks.Calling.Storage;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Http;

public sealed class VersioningTests
{
    private const string Version = "W/\"datetime'2025-03-01T12%3A00%3A00.0000000Z'\"";

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(Version, Version)]
    [InlineData("*", "*")]
    public void IfMatch_Header_IsPassedOnAsSentOrNullWhenBlank(string? header, string? expected)
    {
        var request = Requests.For(Requests.Rep, ifMatch: header);

        Assert.Equal(expected, request.IfMatch());
    }

    [Fact]
    public void ReadPage_NoQuery_IsTheDefaultFirstPage()
    {
        var page = Requests.For(Requests.Rep).ReadPage();

        Assert.Equal(new PageRequest(PageRequest.DefaultPageSize, null), page.Value);
    }

    [Fact]
    public void ReadPage_SizeAndToken_AreRead()
    {
        var page = Requests.For(Requests.Rep, "?pageSize=25&continuationToken=abc").ReadPage();

        Assert.Equal(new PageRequest(25, "abc"), page.Value);
    }

    [Theory]
    [InlineData("?pageSize=ten")]
    [InlineData("?pageSize=-1")]
    [InlineData("?pageSize=1.5")]
    [InlineData("?pageSize=99999999999")]
    public void ReadPage_SizeNotAWholeNumber_NamesPageSize(string query)
    {
        var page = Requests.For(Requests.Rep, query).ReadPage();

        Assert.Equal("pageSize", page.Failure!.Field);
    }

    [Fact]
    public async Task ToVersionedResult_Success_WritesBodyAndETagHeader()
    {
        // Arrange
        Result<Sample> result = new Sample("one", Version);
        var context = ActionContextWithMvc();

        // Act
        await result.ToVersionedResult(s => s.Version, statusCode: StatusCodes.Status201Created).ExecuteResultAsync(context);

        // Assert
        Assert.Equal(201, context.HttpContext.Response.StatusCode);
        Assert.Equal(Version, context.HttpContext.Response.Headers.ETag.ToString());
    }

    [Fact]
    public void ToVersionedResult_Body_MapsTheValueButKeepsItsVersion()
    {
        Result<Sample> result = new Sample("one", Version);

        var action = Assert.IsType<VersionedResult>(result.ToVersionedResult(s => s.Version, s => new { s.Name }));

        Assert.Equal(Version, action.ETag);
        Assert.Equal("one", action.Value.GetType().GetProperty("Name")!.GetValue(action.Value));
    }

    [Fact]
    public void ToVersionedResult_Failure_IsProblemWithoutETag()
    {
        Result<Sample> result = Failure.StaleEdit("The group");

        var action = Assert.IsType<ProblemActionResult>(result.ToVersionedResult(s => s.Version));

        Assert.Equal((412, "stale-edit"), (action.Problem.Status, action.Problem.Code));
    }

    [Fact]
    public void ToPageResult_LastPage_HasItemsAndExplicitNullToken()
    {
        Result<PagedList<string>> result = new PagedList<string>(["a", "b"], null);

        var ok = Assert.IsType<OkObjectResult>(result.ToPageResult());

        var page = Assert.IsType<PageResponse<string>>(ok.Value);
        Assert.Equal(["a", "b"], page.Items);
        var json = System.Text.Json.JsonSerializer.Serialize(page, PlaybooksJson.Options);
        Assert.Equal("""{"items":["a","b"],"continuationToken":null}""", json);
    }

    private static ActionContext ActionContextWithMvc()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMvcCore();
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider(), Response = { Body = new MemoryStream() } };
        return new ActionContext(http, new RouteData(), new ActionDescriptor());
    }

    private sealed record Sample(string Name, string? Version);
}
