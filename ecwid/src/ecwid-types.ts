/**
 * The subset of Ecwid REST API v3 shapes this app reads, from Ecwid's docs
 * (docs.ecwid.com/api-reference/rest-api/customers/search-customers, …/get-customer,
 * …/store-profile/store-reports/get-deleted-items-history) and Ecwid's Java client DTOs
 * (Ecwid/ecwid-java-api-client: FetchedCustomer.kt, DeletedCustomer.kt, FetchedStoreProfile.kt).
 * Everything is optional: Ecwid leaves fields out for guest-checkout customers.
 */
export interface EcwidPerson {
  name?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  street?: string;
  city?: string;
  countryCode?: string;
  countryName?: string;
  postalCode?: string;
  stateOrProvinceCode?: string;
  stateOrProvinceName?: string;
  phone?: string;
}

export interface EcwidShippingAddress extends EcwidPerson {
  id?: number;
  defaultAddress?: boolean;
  createdDate?: string;
  orderBy?: number;
  addressFormatted?: string;
}

/** `type` is EMAIL, PHONE or another channel; several of a type may be `default` (a live answer has two default PHONEs). */
export interface EcwidContact {
  id?: number;
  contact?: string;
  type?: string;
  note?: string;
  default?: boolean;
  orderBy?: number;
  timestamp?: string;
}

/** A checkout extra field's answer on the customer (live 2025 answer). */
export interface EcwidExtraField {
  key?: string;
  title?: string;
  value?: unknown;
  orderBy?: number;
  type?: string;
  entityTypes?: string[];
}

export interface EcwidCustomer {
  id: number;
  email?: string;
  name?: string;
  registered?: string;
  updated?: string;
  totalOrderCount?: number;
  customerGroupId?: number;
  customerGroupName?: string;
  billingPerson?: EcwidPerson;
  shippingAddresses?: EcwidShippingAddress[];
  contacts?: EcwidContact[];
  taxId?: string;
  taxIdValid?: boolean;
  taxExempt?: boolean;
  b2b_b2c?: string;
  acceptMarketing?: boolean | null;
  lang?: string;
  stats?: {
    numberOfOrders?: number;
    numberOfCanceledOrders?: number;
    salesValue?: number;
    averageOrderValue?: number;
    firstOrderDate?: string;
    lastOrderDate?: string;
  };
  extrafields?: EcwidExtraField[];
}

export interface EcwidPage<T> {
  total?: number;
  count?: number;
  offset?: number;
  limit?: number;
  items?: T[];
}

export interface EcwidDeletedItem {
  id: number;
  date?: string;
}

export interface EcwidProfile {
  generalInfo?: { storeId?: number; storeUrl?: string };
  account?: { accountName?: string; accountEmail?: string };
  settings?: { storeName?: string };
}

export interface EcwidTokenResponse {
  access_token?: string;
  token_type?: string;
  scope?: string;
  store_id?: number;
  email?: string;
  public_token?: string;
}
