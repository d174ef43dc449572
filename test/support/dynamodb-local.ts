export { type DynamoDbLocal, freePort, startDynamoDbLocal } from "../../src/sim/dynamodb-local.js";
