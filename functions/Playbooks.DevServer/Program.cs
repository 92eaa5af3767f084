using Playbooks.DevServer;

var builder = WebApplication.CreateBuilder(args);
builder.AddDevServer();

var app = builder.Build();
app.UseDevServer();
app.Run();

/// <summary>The local host of the Function App: same functions, Azurite, dev sign-in, the web app.</summary>
public partial class Program;
