using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Playbooks.Functions;
using Playbooks.Functions.Auth;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ApiAuthorizationMiddleware>();
builder.Services.AddPlaybooksFunctions(builder.Configuration);

builder.Build().Run();
