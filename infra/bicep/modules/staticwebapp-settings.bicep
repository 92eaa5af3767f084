// Separate from staticwebapp.bicep: the API URL exists only after the Function App, which itself needs the web origin for CORS.
@description('Name of the existing Static Web App.')
param name string
@description('https URL of the Function App the web app calls.')
param apiBaseUrl string

resource web 'Microsoft.Web/staticSites@2024-11-01' existing = {
  name: name
}

resource settings 'Microsoft.Web/staticSites/config@2024-11-01' = {
  parent: web
  name: 'appsettings'
  properties: {
    API_BASE_URL: apiBaseUrl
  }
}
