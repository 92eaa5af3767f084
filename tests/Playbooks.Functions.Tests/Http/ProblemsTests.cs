using System.Text;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Http;

public sealed class ProblemsTests
{
    [Fact]
    public async Task WriteAsync_InvalidFieldWithExtension_WritesTheExactProblemJson()
    {
        // Arrange
        var failure = Failure.Invalid("name", "The name is <too> long.", "name-too-long") with
        {
            Extensions = new Dictionary<string, object?> { ["maxLength"] = 80 },
        };
        var http = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        // Act
        await ProblemWriter.WriteAsync(http, Problems.From(failure));

        // Assert
        Assert.Equal(400, http.Response.StatusCode);
        Assert.StartsWith(Problems.ContentType, http.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(
            """{"type":"https://playbooks.calling/problems/name-too-long","title":"Invalid request","status":400,"detail":"The name is \u003Ctoo\u003E long.","code":"name-too-long","field":"name","maxLength":80}""",
            Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()));
    }
}
