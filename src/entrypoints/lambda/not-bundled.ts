/** Stands in for Bolt's Socket Mode, Express and raw-body code in the Slack function, where AwsLambdaReceiver never calls it. */
export default function notBundled(): never {
  throw new Error("this part of Bolt is not bundled into the Lambda functions");
}
