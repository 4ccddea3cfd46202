// A validated timeline compiled into single API changes at times (ms after the timeline starts).

export interface ToxicBody {
  proxy: string;
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ChaosAction {
  /** index of the timeline step this action comes from */
  step: number;
  atMs: number;
  op: 'add' | 'update' | 'remove' | 'disable' | 'enable';
  proxy: string;
  /** op add */
  toxic?: ToxicBody;
  /** op update/remove */
  toxicName?: string;
  attributes?: Record<string, number>;
  toxicity?: number;
}
