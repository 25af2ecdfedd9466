//! Unions with an OpenAPI `discriminator` (the `discriminator` fixture): the discriminator
//! property's value selects exactly one variant, a missing or unknown value is an error at
//! that property, writing puts the property out once, and validation judges a value by the
//! alternative it is.

use apigen_runtime::{from_json, from_value, Validate, ValidationError};
use apigen_tests::fixtures::discriminator::types::{Cat, Dog, Lizard, Pet, PetByMapping, Terrarium, TerrariumResident};
use apigen_tests::fixtures::discriminator::validate_schema;

/// The one error a payload gives, as (pointer, keyword, message).
fn error_of<T: serde::de::DeserializeOwned + Validate + std::fmt::Debug>(json: &str) -> (String, &'static str, String) {
    let errors = from_json::<T>(json.as_bytes()).expect_err(json).into_vec();
    assert_eq!(errors.len(), 1, "{json}: {errors:?}");
    let ValidationError { pointer, keyword, message, .. } = errors.into_iter().next().expect("one error");
    (pointer, keyword, message)
}

fn cat(pet_type: &str) -> Cat {
    Cat::new(pet_type)
}

#[test]
fn the_implicit_value_is_the_schema_name() {
    assert_eq!(
        from_json::<Pet>(br#"{"pet_type": "Cat", "lives": 3}"#),
        Ok(Pet::Cat(Box::new(Cat::new("Cat").with_lives(3))))
    );
    let dog = from_json::<Pet>(br#"{"pet_type": "Dog", "bark": true}"#).expect("a dog");
    assert!(matches!(&dog, Pet::Dog(dog) if dog.bark && dog.friend.is_none()), "{dog:?}");
}

#[test]
fn the_value_decides_even_where_another_variant_would_fit() {
    // Untagged, this would read as a `Cat` (which ignores `bark`); the value says `Dog`, and a
    // dog needs `bark`.
    assert_eq!(
        error_of::<Pet>(r#"{"pet_type": "Dog"}"#),
        (String::new(), "required", "required property `bark` is missing".to_owned())
    );
    // And a value that fits both alternatives' schemas is the one it names, and valid: the
    // discriminator settles the `oneOf`.
    let cat = from_json::<Pet>(br#"{"pet_type": "Cat", "bark": true}"#).expect("a cat");
    assert_eq!(cat, Pet::Cat(Box::new(Cat::new("Cat"))));
}

#[test]
fn an_unknown_or_missing_value_is_an_error_at_the_property() {
    assert_eq!(
        error_of::<Pet>(r#"{"pet_type": "Parrot", "bark": true}"#),
        (
            "/pet_type".to_owned(),
            "discriminator",
            "`Parrot` is not a value of discriminator property `pet_type`; expected one of `Cat`, `Dog`".to_owned()
        )
    );
    assert_eq!(
        error_of::<Pet>(r#"{"bark": true}"#),
        (
            "/pet_type".to_owned(),
            "discriminator",
            "discriminator property `pet_type` is missing; expected one of `Cat`, `Dog`".to_owned()
        )
    );
    assert_eq!(
        error_of::<Pet>(r#"{"pet_type": 7}"#),
        (
            "/pet_type".to_owned(),
            "discriminator",
            "`7` is not a value of discriminator property `pet_type`; expected one of `Cat`, `Dog`".to_owned()
        )
    );
    let errors = from_json::<Pet>(br#"{"pet_type": "Emu"}"#).expect_err("unknown").into_vec();
    assert_eq!(errors[0].limit, Some(serde_json::json!("pet_type")));
}

#[test]
fn other_failures_keep_their_kind() {
    assert_eq!(
        error_of::<Pet>("[1, 2]"),
        (String::new(), "type", "invalid type: sequence, expected an object".to_owned())
    );
    assert_eq!(
        error_of::<Pet>(r#"{"pet_type": "Cat", "pet_type": "Dog"}"#),
        (String::new(), "json", "property `pet_type` appears twice".to_owned())
    );
}

#[test]
fn failures_inside_the_variant_and_nested_unions_have_their_full_pointer() {
    assert_eq!(
        error_of::<Terrarium>(r#"{"pets": [{"pet_type": "Cat"}, {"pet_type": "Dog", "bark": "loud"}]}"#),
        ("/pets/1/bark".to_owned(), "type", "invalid type: string \"loud\", expected a boolean".to_owned())
    );
    assert_eq!(error_of::<Terrarium>(r#"{"pets": [{"pet_type": "Emu"}]}"#).0, "/pets/0/pet_type");
    // A dog's friend is a pet: a union inside a variant of a union.
    let json =
        r#"{"pet_type": "Dog", "bark": true, "friend": {"pet_type": "Dog", "bark": false, "friend": {"bark": true}}}"#;
    assert_eq!(
        error_of::<Pet>(json),
        (
            "/friend/friend/pet_type".to_owned(),
            "discriminator",
            "discriminator property `pet_type` is missing; expected one of `Cat`, `Dog`".to_owned()
        )
    );
    let json = r#"{"pet_type": "Dog", "bark": true, "friend": {"pet_type": "Cat", "lives": "many"}}"#;
    assert_eq!(error_of::<Pet>(json).0, "/friend/lives");
    // The same through `from_value` and the schema registry.
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let errors = from_value::<Pet>(&value).expect_err("invalid").into_vec();
    assert_eq!(errors[0].pointer, "/friend/lives");
    let errors = validate_schema("Terrarium", br#"{"pets": [{"pet_type": "Emu"}]}"#)
        .expect("known schema")
        .expect_err("invalid");
    let errors = errors.into_vec();
    assert_eq!((errors[0].pointer.as_str(), errors[0].keyword), ("/pets/0/pet_type", "discriminator"));
}

#[test]
fn an_explicit_mapping_replaces_the_implicit_value_of_the_schemas_it_names() {
    assert_eq!(from_json::<PetByMapping>(br#"{"pet_type": "cat"}"#), Ok(PetByMapping::Cat(Box::new(cat("cat")))));
    assert_eq!(from_json::<PetByMapping>(br#"{"pet_type": "kitten"}"#), Ok(PetByMapping::Cat(Box::new(cat("kitten")))));
    // `Dog` is not in the mapping: its implicit value still selects it.
    assert!(matches!(from_json::<PetByMapping>(br#"{"pet_type": "Dog", "bark": false}"#), Ok(PetByMapping::Dog(_))));
    assert_eq!(
        error_of::<PetByMapping>(r#"{"pet_type": "Cat"}"#).2,
        "`Cat` is not a value of discriminator property `pet_type`; expected one of `cat`, `kitten`, `Dog`"
    );
}

#[test]
fn a_mapping_to_an_enum_property() {
    let resident = |json: &str| from_json::<TerrariumResident>(json.as_bytes());
    assert!(matches!(resident(r#"{"kind": "gecko"}"#), Ok(TerrariumResident::Lizard(_))));
    assert!(matches!(resident(r#"{"kind": "lizard", "pet_type": "x"}"#), Ok(TerrariumResident::Lizard(_))));
    assert!(
        matches!(resident(r#"{"kind": "snake", "length": 1.5}"#), Ok(TerrariumResident::Snake(ref snake)) if snake.length == Some(1.5))
    );
    assert_eq!(error_of::<TerrariumResident>(r#"{"kind": "Lizard"}"#).0, "/kind");
}

#[test]
fn writing_puts_the_property_out_once_and_reads_back() {
    let pet = Pet::Cat(Box::new(Cat::new("Cat").with_lives(3)));
    let json = serde_json::to_string(&pet).expect("serializes");
    assert_eq!(json, r#"{"pet_type":"Cat","lives":3}"#);
    assert_eq!(from_json::<Pet>(json.as_bytes()), Ok(pet));

    let json = r#"{"pets":[{"pet_type":"Dog","bark":true,"friend":{"pet_type":"Cat"}}],"resident":{"kind":"gecko"}}"#;
    let terrarium = from_json::<Terrarium>(json.as_bytes()).expect("valid");
    assert_eq!(serde_json::to_string(&terrarium).expect("serializes"), json);
    assert_eq!(json.matches("pet_type").count(), 2);
}

#[test]
fn validation_reports_a_variant_whose_property_names_another() {
    // Built in code, a `Cat` may say it is a dog: the discriminator would read it as one.
    let errors = Pet::Cat(Box::new(cat("Dog"))).validate().expect_err("mislabelled").into_vec();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].pointer.as_str(), errors[0].keyword, errors[0].message.as_str()),
        (
            "/pet_type",
            "discriminator",
            "`Dog` is not a value of discriminator property `pet_type` that selects this alternative; expected `Cat`"
        )
    );
    // Inside an array, with the variant's own rules checked as well.
    let terrarium =
        Terrarium::new(vec![Pet::Cat(Box::new(cat("Cat"))), Pet::Cat(Box::new(Cat::new("Cat").with_lives(12)))])
            .with_resident(TerrariumResident::Lizard(Box::new(Lizard::new(
                apigen_tests::fixtures::discriminator::types::LizardKind::Gecko,
            ))));
    let errors = terrarium.validate().expect_err("too many lives").into_vec();
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.pointer.as_str(), e.keyword)).collect();
    assert_eq!(found, [("/pets/1/lives", "maximum")]);
    let mut mislabelled = terrarium;
    mislabelled.pets = vec![Pet::Cat(Box::new(cat("cat")))];
    let errors = mislabelled.validate().expect_err("mislabelled").into_vec();
    assert_eq!((errors[0].pointer.as_str(), errors[0].keyword), ("/pets/0/pet_type", "discriminator"));
    // Boxed variants too.
    let dog = Pet::Dog(Box::new(Dog::new("Cat", true)));
    assert_eq!(dog.validate().expect_err("mislabelled").into_vec()[0].pointer, "/pet_type");
    assert_eq!(Pet::Cat(Box::new(cat("Cat"))).validate(), Ok(()));
}
