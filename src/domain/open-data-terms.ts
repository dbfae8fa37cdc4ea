// The terms an open-data application asks for and its agreement is drafted from: how the data is
// delivered (申请类型) and for how long. A leaf, so the application and the agreement both import it.
export const DELIVERY_TYPES = ['dataset', 'api', 'sandbox'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

export interface UsagePeriod {
  /** First and last day of use (Asia/Shanghai), both inclusive. */
  start: string;
  end: string;
}
