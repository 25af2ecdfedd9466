//! The build-script route: `build.rs` has apigen-build write `$OUT_DIR/petstore.rs` from
//! `openapi.yaml` (Swagger's Petstore 3, Apache-2.0), and this crate includes it as a module.
//! The generated code refers to its own items by `super::`-relative paths, so the module may
//! sit at any depth; it reaches serde and the rest through `apigen_runtime`, the one
//! dependency it needs.

pub mod api {
    pub mod petstore {
        include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
    }
}

pub mod loopback;

pub use api::petstore;

/// Asks the Petstore at `base_url` for pet `id` and returns its name, or why not.
pub async fn pet_name(base_url: &str, id: i64) -> Result<String, String> {
    let client = petstore::Client::new(base_url).map_err(|e| e.to_string())?;
    let response = client.get_pet_by_id(id).await.map_err(|e| e.to_string())?;
    match response.value {
        petstore::client::GetPetByIdResponse::Ok(pet) => Ok(pet.name),
        other => Err(format!("no pet: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petstore::Validate;

    #[tokio::test]
    async fn the_generated_client_calls_a_loopback_server() {
        let body = r#"{"id":7,"name":"Rex","photoUrls":[],"status":"available"}"#;
        let server = loopback::serve_once(200, "application/json", body).await.unwrap();
        assert_eq!(pet_name(&server.base_url, 7).await.unwrap(), "Rex");
        let request = server.request().await.unwrap();
        assert!(request.starts_with("GET /pet/7 HTTP/1.1\r\n"), "{request}");
    }

    #[test]
    fn the_generated_validators_and_derives_are_there() {
        let pet: petstore::types::Pet = petstore::from_json(br#"{"name":"Rex","photoUrls":["a"]}"#).unwrap();
        assert!(pet.validate().is_ok());
        // `Eq`, from `derive("Eq")` in build.rs.
        fn is_eq<T: Eq>(_: &T) {}
        is_eq(&pet.status);
        let errors = petstore::validate_schema("Pet", br#"{"name":"Rex"}"#).unwrap().unwrap_err();
        let found: Vec<(String, &str)> = errors.iter().map(|e| (e.pointer.clone(), e.keyword)).collect();
        assert_eq!(found, [(String::new(), "required")]);
    }
}
