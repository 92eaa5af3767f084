@description('Name of the storage account: Functions host storage, the deployment package container and the app tables.')
param name string
param location string
param tags object
@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string
@description('Tables the app owns (kept in step with TableNames in the app).')
param tableNames array
@description('Blob containers the Functions host keeps its leases and keys in; declared here because the app may not create containers.')
param hostContainerNames array
@description('Private blob containers of the app itself: the reps\' voicemail greetings (GreetingStore.ContainerName).')
param appContainerNames array
@description('When true the account takes no traffic from public networks; the app reaches it through private endpoints.')
param enableNetworkIsolation bool

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: enableNetworkIsolation ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: enableNetworkIsolation ? 'Deny' : 'Allow'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: { publicAccess: 'None' }
    }

    resource hostContainers 'containers' = [for containerName in hostContainerNames: {
      name: containerName
      properties: { publicAccess: 'None' }
    }]

    resource appContainers 'containers' = [for containerName in appContainerNames: {
      name: containerName
      properties: { publicAccess: 'None' }
    }]
  }

  resource tableServices 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [for tableName in tableNames: {
      name: tableName
    }]
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output tableEndpoint string = storage.properties.primaryEndpoints.table
output queueEndpoint string = storage.properties.primaryEndpoints.queue
