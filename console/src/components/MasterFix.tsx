import { useClient, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { MASTER, UPSERT_MASTER } from '../lib/queries.ts';
import { ErrorBox, problemsOf } from './ErrorBox.tsx';

/**
 * Fixes a customer's financial master in the ERP (its system of record), through the ERP's own
 * mutation: tax code and payment terms, or the whole master when there is none.
 */
export function MasterFix(props: { customerId: string; onSaved: () => void }) {
  const client = useClient();
  const [res] = useQuery({ query: MASTER, variables: { id: props.customerId } });
  const master = res.data?.customer?.financialMaster;
  const [form, setForm] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<{ code: string; message: string }[]>([]);
  const [saved, setSaved] = useState(false);
  if (res.fetching && !res.data) return <p class="loading">Loading the financial master...</p>;
  if (res.error) return <ErrorBox error={res.error} />;
  const value = (k: string, fallback: string | number | null | undefined) =>
    form[k] ?? (fallback === null || fallback === undefined ? '' : String(fallback));
  const set = (k: string) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const terms = value('paymentTermsDays', master?.paymentTermsDays);
    const input = {
      name: value('name', master?.name ?? res.data?.customer?.name),
      legalEntityId: value('legalEntityId', master?.legalEntity.id),
      currency: value('currency', master?.currency),
      taxCode: value('taxCode', master?.taxCode) || null,
      paymentTermsDays: terms === '' ? null : Number(terms),
      ...(master ? { status: master.status } : {}),
    };
    const out = await client.mutation(UPSERT_MASTER, { id: props.customerId, input }).toPromise();
    setProblems(problemsOf(out.error));
    if (!out.error) {
      setSaved(true);
      props.onSaved();
    }
  };
  const id = (k: string) => `fix-${props.customerId}-${k}`;
  return (
    <form class="fix-form" onSubmit={save} aria-label="Fix the financial master">
      {!master ? (
        <>
          <label for={id('name')}>Legal name</label>
          <input id={id('name')} value={value('name', res.data?.customer?.name)} onInput={set('name')} required />
          <label for={id('legalEntityId')}>Legal entity</label>
          <select id={id('legalEntityId')} value={value('legalEntityId', '')} onChange={set('legalEntityId')} required>
            <option value="">Choose...</option>
            {(res.data?.legalEntities ?? []).map((le: { id: string; name: string }) => (
              <option key={le.id} value={le.id}>
                {le.id} {le.name}
              </option>
            ))}
          </select>
          <label for={id('currency')}>Currency</label>
          <input id={id('currency')} value={value('currency', '')} onInput={set('currency')} placeholder="USD" required />
        </>
      ) : null}
      <label for={id('taxCode')}>Tax code</label>
      <input
        id={id('taxCode')}
        name="taxCode"
        value={value('taxCode', master?.taxCode)}
        onInput={set('taxCode')}
        placeholder="US-NY, DE-VAT19..."
      />
      <label for={id('paymentTermsDays')}>Payment terms (days)</label>
      <input
        id={id('paymentTermsDays')}
        type="number"
        min={0}
        max={365}
        value={value('paymentTermsDays', master?.paymentTermsDays)}
        onInput={set('paymentTermsDays')}
      />
      <div class="actions">
        <button type="submit" class="primary">
          Save in the ERP
        </button>
        {saved ? <span class="ok-note">Saved. Now resolve the exception to run the job again.</span> : null}
      </div>
      <ErrorBox problems={problems} />
    </form>
  );
}
