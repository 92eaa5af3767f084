using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Crm;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Crm;

public sealed class CrmFunctionsTests
{
    private static readonly Caller Admin = new("org-a", "admin-1", "Ada Admin", new HashSet<string> { AppRoles.Admin });
    private readonly Mock<CrmAdminService> _crm = new(MockBehavior.Strict, null!, null!, null!, null!, null!, null!, null!);

    private static HttpRequest Request(string? body = null, string? ifMatch = null)
    {
        var http = new DefaultHttpContext();
        http.Items[typeof(Caller)] = Admin;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }
        if (ifMatch is not null)
        {
            http.Request.Headers.IfMatch = ifMatch;
        }
        return http.Request;
    }

    [Fact]
    public async Task Update_MalformedBody_400WithoutCallingService()
    {
        var result = await new CrmSettingsUpdateFunction(_crm.Object).Run(Request("{\"provider\": 5}"), CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((400, "provider"), (problem.Status, problem.Field));
    }

    [Fact]
    public async Task Update_WithIfMatch_PassesVersionAndAnswersWithNewETag()
    {
        const string version = "W/\"datetime'2025-03-14T15%3A00%3A00Z'\"";
        _crm.Setup(c => c.UpdateAsync(Admin, It.Is<CrmConnectionInput>(i => i.Provider == "salesforce"), version, It.IsAny<CancellationToken>()))
            .ReturnsAsync(CrmTestConnection with { Version = "W/\"next\"" });
        var request = Request("{\"provider\":\"salesforce\",\"instanceUrl\":\"https://acme.my.salesforce.com\"}", version);

        var result = await new CrmSettingsUpdateFunction(_crm.Object).Run(request, CancellationToken.None);

        Assert.IsType<OkObjectResult>(result);
        Assert.Equal("W/\"next\"", request.HttpContext.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task Get_NotAdmin_ServiceRefusalBecomes403()
    {
        _crm.Setup(c => c.GetAsync(Admin, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Forbidden("requires-admin", "Only admins can manage the CRM connection."));

        var result = await new CrmSettingsFunction(_crm.Object).Run(Request(), CancellationToken.None);

        Assert.Equal(403, Assert.IsType<ProblemActionResult>(result).Problem.Status);
    }

    [Fact]
    public async Task Retry_NoBody_RetriesEveryFailedActivity()
    {
        _crm.Setup(c => c.RetryAsync(Admin, null, It.IsAny<CancellationToken>())).ReturnsAsync(new CrmRetryResult([], []));
        var request = Request();
        request.ContentLength = 0;

        var result = await new CrmRetryFunction(_crm.Object).Run(request, CancellationToken.None);

        Assert.IsType<OkObjectResult>(result);
        _crm.Verify(c => c.RetryAsync(Admin, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Retry_WithCallSids_RetriesThoseOnly()
    {
        _crm.Setup(c => c.RetryAsync(Admin, It.Is<IReadOnlyList<string>>(s => s.SequenceEqual(new[] { "CA1", "CA2" })), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CrmRetryResult([], []));

        var result = await new CrmRetryFunction(_crm.Object).Run(Request("{\"callSids\":[\"CA1\",\"CA2\"]}"), CancellationToken.None);

        Assert.IsType<OkObjectResult>(result);
    }

    private static CrmConnection CrmTestConnection => new()
    {
        OrgId = "org-a", Provider = CrmProvider.Salesforce, InstanceUrl = "https://acme.my.salesforce.com", ClientId = "key",
    };
}
