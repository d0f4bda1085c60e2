//! The data types app stores ask developers to declare, and the kinds that fall under them.
//!
//! Apple's privacy manifest (`PrivacyInfo.xcprivacy`) lists collected data as
//! `NSPrivacyCollectedDataType` values; Google Play's Data safety form lists it as a category
//! and a data type. Each built-in PII kind maps to one of each, so that the [`Report`] can say
//! which declarations the fields of an app's types call for.
//!
//! The mapping is a starting point for the declaration, not a substitute for it: whether a
//! field counts as collected (it leaves the device, and is kept longer than it takes to serve
//! the request) and for which purposes is for the app's authors to say. OII kinds (`org_name`,
//! `tenant_id`, `domain`) describe organizations, which neither form asks about, and custom
//! kinds mean what their authors say: both map to nothing.
//!
//! [`Report`]: super::Report

use core::fmt;

use crate::Kind;

/// A value of `NSPrivacyCollectedDataType` in an Apple privacy manifest, with the category and
/// name App Store Connect shows for it.
///
/// ```
/// use privacy::inventory::AppleDataType;
/// use privacy::Kind;
///
/// let phone = Kind::Phone.apple_data_type().unwrap();
/// assert_eq!(phone, AppleDataType::PHONE_NUMBER);
/// assert_eq!(phone.key, "NSPrivacyCollectedDataTypePhoneNumber");
/// assert_eq!((phone.category, phone.name), ("Contact Info", "Phone Number"));
/// assert_eq!(Kind::OrgName.apple_data_type(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppleDataType {
    /// The category it is listed under: `Contact Info`, `Location`, `Identifiers`, ...
    pub category: &'static str,
    /// Its name in App Store Connect: `Phone Number`.
    pub name: &'static str,
    /// The string written in the manifest: `NSPrivacyCollectedDataTypePhoneNumber`.
    pub key: &'static str,
}

macro_rules! apple {
    ($($(#[$meta:meta])* $const:ident = $category:literal, $name:literal, $key:literal;)*) => {
        impl AppleDataType {$(
            $(#[$meta])*
            pub const $const: AppleDataType = AppleDataType {
                category: $category,
                name: $name,
                key: $key,
            };
        )*}
    };
}

apple! {
    /// Contact Info: a first or last name.
    NAME = "Contact Info", "Name", "NSPrivacyCollectedDataTypeName";
    /// Contact Info: an e-mail address, hashed or not.
    EMAIL_ADDRESS = "Contact Info", "Email Address", "NSPrivacyCollectedDataTypeEmailAddress";
    /// Contact Info: a phone number, hashed or not.
    PHONE_NUMBER = "Contact Info", "Phone Number", "NSPrivacyCollectedDataTypePhoneNumber";
    /// Contact Info: a home, physical or mailing address.
    PHYSICAL_ADDRESS = "Contact Info", "Physical Address", "NSPrivacyCollectedDataTypePhysicalAddress";
    /// Financial Info: a form of payment, card or bank account number.
    PAYMENT_INFO = "Financial Info", "Payment Info", "NSPrivacyCollectedDataTypePaymentInfo";
    /// Location: a location as precise as latitude and longitude to three or more decimals.
    PRECISE_LOCATION = "Location", "Precise Location", "NSPrivacyCollectedDataTypePreciseLocation";
    /// Location: a location less precise than that, such as the one an IP address gives away.
    COARSE_LOCATION = "Location", "Coarse Location", "NSPrivacyCollectedDataTypeCoarseLocation";
    /// User Content: e-mails or text messages, with their subject, sender and recipients.
    EMAILS_OR_TEXT_MESSAGES = "User Content", "Emails or Text Messages", "NSPrivacyCollectedDataTypeEmailsOrTextMessages";
    /// User Content: anything else the user writes or makes in the app.
    OTHER_USER_CONTENT = "User Content", "Other User Content", "NSPrivacyCollectedDataTypeOtherUserContent";
    /// Identifiers: a screen name, handle, account id or customer number.
    USER_ID = "Identifiers", "User ID", "NSPrivacyCollectedDataTypeUserID";
    /// Identifiers: an advertising identifier or another device-level id.
    DEVICE_ID = "Identifiers", "Device ID", "NSPrivacyCollectedDataTypeDeviceID";
    /// Other Data: any data type the other values do not cover.
    OTHER_DATA_TYPES = "Other Data", "Other Data Types", "NSPrivacyCollectedDataTypeOtherDataTypes";
}

impl fmt::Display for AppleDataType {
    /// The manifest key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key)
    }
}

/// A data type of Google Play's Data safety form: a category and a type within it.
///
/// ```
/// use privacy::inventory::AndroidDataType;
/// use privacy::Kind;
///
/// let phone = Kind::Phone.android_data_type().unwrap();
/// assert_eq!(phone, AndroidDataType::PHONE_NUMBER);
/// assert_eq!(phone.to_string(), "Personal info: Phone number");
/// assert_eq!(Kind::TenantId.android_data_type(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AndroidDataType {
    /// The category: `Personal info`, `Location`, `Messages`, ...
    pub category: &'static str,
    /// The data type within it: `Phone number`.
    pub name: &'static str,
}

macro_rules! android {
    ($($(#[$meta:meta])* $const:ident = $category:literal, $name:literal;)*) => {
        impl AndroidDataType {$(
            $(#[$meta])*
            pub const $const: AndroidDataType = AndroidDataType {
                category: $category,
                name: $name,
            };
        )*}
    };
}

android! {
    /// Personal info: how the user refers to themselves, such as a first or last name or a
    /// nickname.
    NAME = "Personal info", "Name";
    /// Personal info: the user's e-mail address.
    EMAIL_ADDRESS = "Personal info", "Email address";
    /// Personal info: an account number, account id or account name.
    USER_IDS = "Personal info", "User IDs";
    /// Personal info: a mailing or home address.
    ADDRESS = "Personal info", "Address";
    /// Personal info: the user's phone number.
    PHONE_NUMBER = "Personal info", "Phone number";
    /// Personal info: any other, such as a date of birth.
    OTHER_INFO = "Personal info", "Other info";
    /// Financial info: a credit card or bank account number.
    USER_PAYMENT_INFO = "Financial info", "User payment info";
    /// Location: an area of 3 square kilometres or more, such as a city.
    APPROXIMATE_LOCATION = "Location", "Approximate location";
    /// Location: an area of less than 3 square kilometres.
    PRECISE_LOCATION = "Location", "Precise location";
    /// Messages: messages in the app other than e-mails and SMS or MMS.
    OTHER_IN_APP_MESSAGES = "Messages", "Other in-app messages";
    /// Device or other IDs: identifiers of a device, browser or app installation.
    DEVICE_OR_OTHER_IDS = "Device or other IDs", "Device or other IDs";
}

impl fmt::Display for AndroidDataType {
    /// `category: data type`, as the form groups them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}: {}", self.category, self.name))
    }
}

/// The app-store declarations a kind calls for.
///
/// | kind | Apple (`NSPrivacyCollectedDataType...`) | Google Play Data safety |
/// |---|---|---|
/// | `name` | `Name` | Personal info: Name |
/// | `phone` | `PhoneNumber` | Personal info: Phone number |
/// | `email` | `EmailAddress` | Personal info: Email address |
/// | `ip` | `CoarseLocation` | Location: Approximate location |
/// | `address` | `PhysicalAddress` | Personal info: Address |
/// | `location` | `PreciseLocation` | Location: Precise location |
/// | `message` | `EmailsOrTextMessages` | Messages: Other in-app messages |
/// | `birthdate` | `OtherDataTypes` | Personal info: Other info |
/// | `government_id` | `OtherDataTypes` | Personal info: Other info |
/// | `payment_card` | `PaymentInfo` | Financial info: User payment info |
/// | `device_id` | `DeviceID` | Device or other IDs |
/// | `account_id` | `UserID` | Personal info: User IDs |
/// | `org_name`, `tenant_id`, `domain`, custom kinds | none | none |
///
/// An IP address is mapped to the location it gives away, as both stores ask; a `location`
/// field to the precise kind, because a field's type cannot say how precise it is: declare the
/// coarse one instead when the field never holds more than a city or region.
impl Kind {
    /// The Apple privacy-manifest data type that a field of this kind calls for; `None` for
    /// OII and custom kinds.
    #[must_use]
    pub const fn apple_data_type(self) -> Option<AppleDataType> {
        Some(match self {
            Kind::Name => AppleDataType::NAME,
            Kind::Phone => AppleDataType::PHONE_NUMBER,
            Kind::Email => AppleDataType::EMAIL_ADDRESS,
            Kind::Ip => AppleDataType::COARSE_LOCATION,
            Kind::Address => AppleDataType::PHYSICAL_ADDRESS,
            Kind::Location => AppleDataType::PRECISE_LOCATION,
            Kind::Message => AppleDataType::EMAILS_OR_TEXT_MESSAGES,
            Kind::Birthdate | Kind::GovernmentId => AppleDataType::OTHER_DATA_TYPES,
            Kind::PaymentCard => AppleDataType::PAYMENT_INFO,
            Kind::DeviceId => AppleDataType::DEVICE_ID,
            Kind::AccountId => AppleDataType::USER_ID,
            Kind::OrgName | Kind::TenantId | Kind::Domain | Kind::Custom(_) => return None,
        })
    }

    /// The Google Play Data safety data type that a field of this kind calls for; `None` for
    /// OII and custom kinds.
    #[must_use]
    pub const fn android_data_type(self) -> Option<AndroidDataType> {
        Some(match self {
            Kind::Name => AndroidDataType::NAME,
            Kind::Phone => AndroidDataType::PHONE_NUMBER,
            Kind::Email => AndroidDataType::EMAIL_ADDRESS,
            Kind::Ip => AndroidDataType::APPROXIMATE_LOCATION,
            Kind::Address => AndroidDataType::ADDRESS,
            Kind::Location => AndroidDataType::PRECISE_LOCATION,
            Kind::Message => AndroidDataType::OTHER_IN_APP_MESSAGES,
            Kind::Birthdate | Kind::GovernmentId => AndroidDataType::OTHER_INFO,
            Kind::PaymentCard => AndroidDataType::USER_PAYMENT_INFO,
            Kind::DeviceId => AndroidDataType::DEVICE_OR_OTHER_IDS,
            Kind::AccountId => AndroidDataType::USER_IDS,
            Kind::OrgName | Kind::TenantId | Kind::Domain | Kind::Custom(_) => return None,
        })
    }
}
