using System.Reflection;
using Azure;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Auth;

public sealed class FunctionPipelineTests : IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly IServiceProvider _services;

    public FunctionPipelineTests() => _services = _tokens.BuildServices();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task Invoke_NoToken_Returns401Problem()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), token: null);

        Assert.False(ran);
        Assert.Equal(401, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("Bearer", http.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("unauthenticated", ReadProblem(http).GetProperty("code").GetString());
    }

    public static TheoryData<string> RejectedTokens => new()
    {
        "expired", "wrong-key", "wrong-audience", "wrong-issuer", "alg-none", "garbage",
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Invoke_RejectedToken_Returns401AndDoesNotRunFunction(string kind)
    {
        var token = kind switch
        {
            "expired" => _tokens.Create(expires: DateTime.UtcNow.AddMinutes(-10)),
            "wrong-key" => _tokens.Create(key: _tokens.UntrustedKey),
            "wrong-audience" => _tokens.Create(audience: "api://some-other-api"),
            "wrong-issuer" => _tokens.Create(issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"),
            "alg-none" => TestTokens.Unsigned(["Admin"]),
            _ => "not-a-jwt",
        };

        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), token);

        Assert.False(ran);
        Assert.Equal(401, http.Response.StatusCode);
        Assert.Equal("unauthenticated", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_ValidToken_RunsFunctionWithCallerFromToken()
    {
        Caller? seen = null;
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["Rep", "Manager"], orgId: "org-7", userId: "u-42"), h => seen = h.Request.GetCaller());

        Assert.True(ran);
        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(new Caller("org-7", "u-42", "Test User", new HashSet<string> { "Rep", "Manager" }).OrgId, seen!.OrgId);
        Assert.Equal("u-42", seen.UserId);
        Assert.True(seen.IsManager);
    }

    [Fact]
    public async Task Invoke_WrongRole_Returns403()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.AdminOnly), _tokens.Create(roles: ["Rep"]));

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("role-required", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_RequiredRole_RunsFunction()
    {
        var (_, ran) = await InvokeAsync(nameof(Fakes.AdminOnly), _tokens.Create(roles: ["Admin"]));

        Assert.True(ran);
    }

    [Fact]
    public async Task Invoke_TokenWithoutAppRole_Returns403()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["SomethingElse"]));

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("not-a-playbooks-user", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_AnonymousFunction_RunsWithoutToken()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.Anonymous), token: null);

        Assert.True(ran);
        Assert.Equal(200, http.Response.StatusCode);
    }

    [Fact]
    public async Task Invoke_FunctionThrows_Returns500ProblemWithoutDetails()
    {
        var (http, _) = await InvokeAsync(nameof(Fakes.Anonymous), token: null, _ => throw new InvalidOperationException("secret internals"));

        Assert.Equal(500, http.Response.StatusCode);
        var problem = ReadProblem(http);
        Assert.Equal("internal-error", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("secret internals", problem.GetRawText());
    }

    [Fact]
    public async Task Invoke_StorageUnreachable_Returns503StorageUnavailableWithRetryAfter()
    {
        var outage = new AggregateException(new RequestFailedException(0, "Connection refused", new HttpRequestException("Connection refused")));

        var (http, _) = await InvokeAsync(nameof(Fakes.Anonymous), token: null, _ => throw outage);

        Assert.Equal(503, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("storage-unavailable", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_UnhandledStorageRefusal_StillReturns500()
    {
        var (http, _) = await InvokeAsync(nameof(Fakes.Anonymous), token: null, _ => throw new RequestFailedException(412, "Precondition failed"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("internal-error", ReadProblem(http).GetProperty("code").GetString());
    }

    public static TheoryData<string, string> MalformedIdentities => new()
    {
        { "org/../other", "user-1" },
        { "org#1", "user-1" },
        { "org?x", "user-1" },
        { "org\\x", "user-1" },
        { "org\u0001", "user-1" },
        { new string('o', 257), "user-1" },
        { "org-a", "user/1" },
        { "org-a", "user\n1" },
    };

    [Theory]
    [MemberData(nameof(MalformedIdentities))]
    public async Task Invoke_MalformedIdentityClaim_Returns403WithoutRunningFunction(string orgId, string userId)
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["Admin"], orgId: orgId, userId: userId));

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("invalid-identity-claim", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_MalformedTenantClaim_Returns403()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["Rep"], tenantId: "tenant#1"));

        Assert.False(ran);
        Assert.Equal("invalid-identity-claim", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_SupportFromCustomerTenant_Returns403OnSupportFunction()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SupportOnly), _tokens.Create(roles: ["Support", "Admin"]));

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("role-required", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_SupportFromCustomerTenant_KeepsOtherRolesButNotSupport()
    {
        Caller? seen = null;
        var (_, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["Support", "Admin"]), h => seen = h.Request.GetCaller());

        Assert.True(ran);
        Assert.False(seen!.IsSupport);
        Assert.True(seen.IsAdmin);
        Assert.Equal(TestTokens.TenantId, seen.TenantId);
    }

    [Fact]
    public async Task Invoke_SupportOnlyRoleFromCustomerTenant_Returns403NotAPlaybooksUser()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SignedIn), _tokens.Create(roles: ["Support"]));

        Assert.False(ran);
        Assert.Equal("not-a-playbooks-user", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_SupportFromSupportTenant_RunsSupportFunction()
    {
        Caller? seen = null;
        var (_, ran) = await InvokeAsync(
            nameof(Fakes.SupportOnly), _tokens.Create(roles: ["Support"], tenantId: TestTokens.SupportTenantId), h => seen = h.Request.GetCaller());

        Assert.True(ran);
        Assert.True(seen!.IsSupport);
        Assert.Equal(TestTokens.SupportTenantId, seen.TenantId);
    }

    [Fact]
    public async Task Invoke_ContentLengthOverCap_Returns413WithoutRunningFunction()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.Anonymous), token: null, configure: h =>
        {
            h.Request.ContentLength = RequestLimits.DefaultMaxBodyBytes + 1;
            h.Request.Body = new MemoryStream(new byte[RequestLimits.DefaultMaxBodyBytes + 1]);
        });

        Assert.False(ran);
        Assert.Equal(413, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("body-too-large", ReadProblem(http).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_BodyWithoutLengthReadPastCap_Returns413()
    {
        var (http, ran) = await InvokeAsync(
            nameof(Fakes.Anonymous), token: null,
            h => h.Request.Body.CopyTo(Stream.Null),
            h => h.Request.Body = new MemoryStream(new byte[RequestLimits.DefaultMaxBodyBytes * 3]));

        Assert.True(ran);
        Assert.Equal(413, http.Response.StatusCode);
        var problem = ReadProblem(http);
        Assert.Equal("body-too-large", problem.GetProperty("code").GetString());
        Assert.Equal("body", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Invoke_BodyWithoutLengthUnderCap_RunsFunctionWithWholeBody()
    {
        long length = 0;
        var (http, _) = await InvokeAsync(
            nameof(Fakes.Anonymous), token: null,
            h => length = CountBytes(h.Request.Body),
            h => h.Request.Body = new MemoryStream(new byte[RequestLimits.DefaultMaxBodyBytes]));

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(RequestLimits.DefaultMaxBodyBytes, length);
    }

    [Fact]
    public async Task Invoke_FunctionDeclaresSmallerLimit_AppliesIt()
    {
        var (http, ran) = await InvokeAsync(nameof(Fakes.SmallBodies), token: null, configure: h =>
        {
            h.Request.ContentLength = 2048;
            h.Request.Body = new MemoryStream(new byte[2048]);
        });

        Assert.False(ran);
        Assert.Equal(413, http.Response.StatusCode);
        Assert.Contains("1 KB", ReadProblem(http).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Invoke_UnreadableBody_Returns400Problem()
    {
        var (http, _) = await InvokeAsync(nameof(Fakes.Anonymous), token: null,
            _ => throw new BadHttpRequestException("Bad chunk size", StatusCodes.Status400BadRequest));

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("body-malformed", ReadProblem(http).GetProperty("code").GetString());
    }

    private static long CountBytes(Stream stream)
    {
        var buffer = new byte[4096];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
        }

        return total;
    }

    private async Task<(HttpContext Http, bool Ran)> InvokeAsync(
        string function, string? token, Action<HttpContext>? body = null, Action<HttpContext>? configure = null)
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Response.Body = new MemoryStream();
        configure?.Invoke(http);
        if (token is not null)
        {
            http.Request.Headers.Authorization = $"Bearer {token}";
        }

        var ran = false;
        var pipeline = _services.GetRequiredService<FunctionPipeline>();
        await pipeline.InvokeAsync(http, typeof(Fakes).GetMethod(function)!, () =>
        {
            ran = true;
            body?.Invoke(http);
            return Task.CompletedTask;
        });
        return (http, ran);
    }

    private static JsonElement ReadProblem(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return JsonDocument.Parse(http.Response.Body).RootElement;
    }

    private sealed class Fakes
    {
        public void SignedIn()
        {
        }

        [Authorize(Roles = AppRoles.Admin)]
        public void AdminOnly()
        {
        }

        [AllowAnonymous]
        public void Anonymous()
        {
        }

        [Authorize(Roles = AppRoles.Support)]
        public void SupportOnly()
        {
        }

        [AllowAnonymous]
        [RequestSizeLimit(1024)]
        public void SmallBodies()
        {
        }
    }
}
