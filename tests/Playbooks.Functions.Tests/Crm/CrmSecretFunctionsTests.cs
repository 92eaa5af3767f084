using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Crm;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Crm;

public sealed class CrmSecretFunctionsTests
{
    private static readonly Caller Admin = new("org-a", "admin-1", "Ada Admin", new HashSet<string> { AppRoles.Admin });
    private readonly Mock<CrmSecretService> _secrets = new(MockBehavior.Strict, null!, null!);

    private static HttpRequest Request(string? body = null)
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
        return http.Request;
    }

    [Fact]
    public async Task Update_SecretNotAString_400OnClientSecretWithoutCallingService()
    {
        var result = await new CrmSecretUpdateFunction(_secrets.Object).Run(Request("{\"clientSecret\": 42}"), CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((400, "clientSecret"), (problem.Status, problem.Field));
    }

    [Fact]
    public async Task Update_Stored_AnswersSetWithoutEchoingTheValue()
    {
        _secrets.Setup(s => s.SetAsync(Admin, "s3cret-value", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CrmSecretStatus("crm-org-a-client-secret", true));

        var result = await new CrmSecretUpdateFunction(_secrets.Object).Run(Request("{\"clientSecret\":\"s3cret-value\"}"), CancellationToken.None);

        var json = JsonSerializer.Serialize(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Contains("\"clientSecretSet\":true", json);
        Assert.DoesNotContain("s3cret-value", json);
    }

    [Fact]
    public async Task Get_VaultCannotSay_AnswersNullForSet()
    {
        _secrets.Setup(s => s.GetStatusAsync(Admin, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CrmSecretStatus("crm-org-a-client-secret", null));

        var result = await new CrmSecretFunction(_secrets.Object).Run(Request(), CancellationToken.None);

        var json = JsonSerializer.Serialize(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal("{\"clientSecretName\":\"crm-org-a-client-secret\",\"clientSecretSet\":null}", json);
    }

    [Fact]
    public async Task Update_ServiceRefusesValue_400WithCode()
    {
        _secrets.Setup(s => s.SetAsync(Admin, "a b", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Invalid("clientSecret", "no spaces", "secret-invalid-characters"));

        var result = await new CrmSecretUpdateFunction(_secrets.Object).Run(Request("{\"clientSecret\":\"a b\"}"), CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((400, "secret-invalid-characters"), (problem.Status, problem.Code));
    }
}
