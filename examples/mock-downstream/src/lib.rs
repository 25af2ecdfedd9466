//! A downstream crate: the sign-up step of an application that creates a RevCent customer
//! through the generated client. Its tests (below) run against `revcent::mock::Server`, the
//! generated mock, instead of the real API or hand-written stubs: a request the spec refuses
//! fails there as it would at RevCent, and a canned answer that breaks the spec fails the test
//! instead of passing silently. The last test also draws its customers from the generated
//! value generators (`arbitrary`), so it covers whatever the spec allows, not one hand-picked
//! example, and lets the mock answer with a generated, valid success.

use revcent::client::CreateCustomerResponse;
use revcent::types::{CreateCustomerRequest, CreateCustomerRequestCustomer};

/// What went wrong in a sign-up.
#[derive(Debug)]
pub enum SignupError {
    /// RevCent refused it: its error code and message (`code: 0`).
    Refused { code: Option<String>, message: Option<String> },
    /// The call failed: transport, an invalid request, an undocumented answer.
    Call(revcent::Error),
}

/// Creates the customer for a sign-up in `campaign`, and returns RevCent's customer id.
pub async fn sign_up(
    client: &revcent::Client,
    campaign: &str,
    first: &str,
    last: &str,
    email: &str,
) -> Result<String, SignupError> {
    let customer = CreateCustomerRequestCustomer::new(first, last, email);
    let request = CreateCustomerRequest::new(campaign, customer);
    let response = client.create_customer(&request).await.map_err(SignupError::Call)?;
    match response.value {
        CreateCustomerResponse::Ok(success) => Ok(success.customer_id.unwrap_or_default()),
        CreateCustomerResponse::Default(error) => {
            Err(SignupError::Refused { code: error.error_code, message: error.message })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use revcent::mock::{Fault, Reply, Server};
    use revcent::types::{ApiStandardErrors, ApiStandardErrorsCode, CreateCustomerSuccess, CreateCustomerSuccessCode};

    fn success(customer_id: &str) -> CreateCustomerResponse {
        let body = CreateCustomerSuccess::new().with_code(CreateCustomerSuccessCode::V1).with_customer_id(customer_id);
        CreateCustomerResponse::Ok(Box::new(body))
    }

    #[tokio::test]
    async fn a_sign_up_returns_the_new_customer_id() {
        let server = Server::start().await.unwrap();
        server.on_create_customer(|call| {
            // The handler sees the request as the spec's types, already checked.
            assert_eq!(call.body.customer.email, "ada@example.com");
            // A customer id is 20 characters: the mock refuses to send a shorter one.
            success("cus_0123456789abcdef")
        });
        let client = revcent::Client::new(server.url()).unwrap().with_api_key_auth("test-key");
        let id = sign_up(&client, "spring", "Ada", "Lovelace", "ada@example.com").await.unwrap();
        assert_eq!(id, "cus_0123456789abcdef");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].header("x-api-key"), Some("test-key"));
    }

    #[tokio::test]
    async fn a_refusal_is_an_error_with_its_code() {
        let server = Server::start().await.unwrap();
        server.on_create_customer(|_| {
            let error = ApiStandardErrors::new()
                .with_code(ApiStandardErrorsCode::V0)
                .with_error_code("duplicate")
                .with_message("exists");
            Reply::new(CreateCustomerResponse::Default(Box::new(error))).with_status(409)
        });
        let client = revcent::Client::new(server.url()).unwrap().with_api_key_auth("test-key");
        match sign_up(&client, "spring", "Ada", "Lovelace", "ada@example.com").await {
            Err(SignupError::Refused { code, message }) => {
                assert_eq!(code.as_deref(), Some("duplicate"));
                assert_eq!(message.as_deref(), Some("exists"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_email_the_spec_refuses_never_reaches_the_server() {
        let server = Server::start().await.unwrap();
        let client = revcent::Client::new(server.url()).unwrap().with_api_key_auth("test-key");
        match sign_up(&client, "spring", "Ada", "Lovelace", "not an email").await {
            Err(SignupError::Call(revcent::Error::Invalid(errors))) => {
                assert_eq!(errors.iter().next().map(|e| e.pointer.as_str()), Some("/body/customer/email"));
            }
            other => panic!("expected the client to refuse the request, got {other:?}"),
        }
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn an_outage_is_a_call_error() {
        let server = Server::start().await.unwrap();
        server.fault(Fault::reset());
        let client = revcent::Client::new(server.url()).unwrap().with_api_key_auth("test-key");
        assert!(matches!(
            sign_up(&client, "spring", "Ada", "Lovelace", "ada@example.com").await,
            Err(SignupError::Call(_))
        ));
    }

    /// Every customer the spec allows signs up, and the mock, given no handler and no example,
    /// answers with a generated success that the spec allows too.
    #[test]
    fn every_valid_customer_signs_up() {
        use apigen_runtime::proptest::prelude::*;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let server = runtime.block_on(Server::start()).unwrap();
        let client = revcent::Client::new(server.url()).unwrap().with_api_key_auth("test-key");
        let mut runner = apigen_runtime::proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 32,
            ..ProptestConfig::default()
        });
        runner
            .run(&any::<CreateCustomerRequestCustomer>(), |customer| {
                let signed_up = runtime.block_on(sign_up(
                    &client,
                    "spring",
                    &customer.first_name,
                    &customer.last_name,
                    &customer.email,
                ));
                prop_assert!(signed_up.is_ok(), "{customer:?}: {signed_up:?}");
                Ok(())
            })
            .unwrap();
        assert_eq!(server.requests().len(), 32);
    }
}
