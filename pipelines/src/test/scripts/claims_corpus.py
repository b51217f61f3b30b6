import json, os
# Writes the claims cases into src/test/resources/corpus (run by CorpusTest) and the ones in
# PENDING into src/test/corpus-pending (not run; none since 2026-12-03); NIGHTSHIFT_CORPUS_ROOT=<dir>
# writes both under <dir> instead (corpus/ and corpus-pending/), e.g. to diff against the tree.
HERE=os.path.dirname(os.path.abspath(__file__))
ROOT=os.environ.get('NIGHTSHIFT_CORPUS_ROOT')
R=os.path.join(ROOT,'corpus') if ROOT else os.path.normpath(os.path.join(HERE,'../resources/corpus'))
PR=os.path.join(ROOT,'corpus-pending') if ROOT else os.path.normpath(os.path.join(HERE,'../corpus-pending'))
C=R+'/_companions/claims-adjudication'
X=R+'/x12'; F=R+'/fhir-claims'
for d in (C+'/claims', X, F): os.makedirs(d, exist_ok=True)
# cases whose reader does not meet them yet: written to corpus-pending
PENDING=set()
def w(path, data):
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(path, mode, **({} if mode=='wb' else {'encoding':'utf-8','newline':''})) as f: f.write(data)
def expect(folder, name, d):
    w(f'{folder}/{name}.expect.json', json.dumps(d, indent=2, ensure_ascii=False)+'\n')

w(C+'/members.csv', "member_id,plan_id,coverage_start,coverage_end,birth_date,gender\n"
  "M0000001,PLAN-SILVER,2026-01-01,,1980-02-03,female\nM0000002,PLAN-GOLD,2026-01-01,,1975-07-08,male\n")
w(C+'/plans.csv', "plan_id,deductible,coinsurance_rate,copay,oop_max,timely_filing_days\n"
  "PLAN-SILVER,750.00,0.20,25.00,2500.00,180\nPLAN-GOLD,250.00,0.10,15.00,1500.00,365\n")
w(C+'/fee_schedule.csv', "procedure_code,description,allowed_amount,covered\n"
  "99213,\"Office visit, 20-29 minutes\",90.00,Y\n36415,Venipuncture,10.00,Y\n")

# ---------------------------------------------------------------- X12
def isa(ctrl, el='*', comp=':', rep='^'):
    f=['ISA','00',' '*10,'00',' '*10,'ZZ','SUBMITTER'.ljust(15),'ZZ','NSHP1'.ljust(15),'261120','0100',rep,'00501',ctrl,'0','P',comp]
    return el.join(f)
def clm(cid, total, lines, dtp='20261101', extra=()):
    s=[f'CLM*{cid}*{total}***11:B:1*Y*A*Y*Y','HI*ABK:I10']
    if dtp: s.append(f'DTP*472*D8*{dtp}')
    s+=list(extra)
    for i,l in enumerate(lines,1):
        code,charge,units=l[:3]
        s+=[f'LX*{l[3] if len(l)>3 else i}', f'SV1*HC:{code}*{charge}*UN*{units}***1']
    return s
GOOD=lambda cid: clm(cid,'110',[('99213','100','1'),('36415','10','1')])
def tx(ctrl, claims, bht='20261120', member='M0000001', se_count=None, se_ctrl=None):
    s=[f'ST*837*{ctrl}*005010X222A1', f'BHT*0019*00*B{ctrl}*{bht}*0100*CH','HL*1**20*1','NM1*85*2*CLINIC*****XX*1234567893',
       'HL*2*1*22*0','SBR*P*18*******CI',f'NM1*IL*1*DOE*JANE****MI*{member}','NM1*PR*2*NIGHTSHIFT HEALTH*****PI*NSHP1']
    for c in claims: s+=c
    s.append(f'SE*{se_count if se_count is not None else len(s)+1}*{se_ctrl or ctrl}')
    return s
def ic(txs, gs='101', ctrl='000000101', ge_count=None, iea_count='1', iea_ctrl=None, sep='~\n', el='*', comp=':', rep='^', tail=True):
    segs=[isa(ctrl, el, comp, rep), f'GS*HC*SUBMITTER*NSHP1*20261120*0100*{gs}*X*005010X222A1']
    for t in txs: segs+=t
    if tail:
        segs+=[f'GE*{ge_count if ge_count is not None else len(txs)}*{gs}', f'IEA*{iea_count}*{iea_ctrl or ctrl}']
    body=[segs[0]]+[s.replace('*',el).replace(':',comp) for s in segs[1:]]
    return sep.join(body)+sep
ARGS=["--inputDir=${in}","--businessDate=2026-11-25","--output=${out}"]
w(C+'/claims/companion.edi', ic([tx('0001',[GOOD('X-COMP-1')])]))

def clm_lines(text, sep='~\n'):
    segs=text.split(sep); return {s.split(s[3])[1]: i+1 for i,s in enumerate(segs) if s.startswith('CLM')}
def case(folder, name, ext, data, desc, dead, steps=None, outputs=None, generate=None, launcher=False):
    d={"description":desc,"pipeline":"claims-adjudication","companions":"claims-adjudication","as":f"claims/{name}.{ext}","args":ARGS}
    if generate is not None: d["generate"]=generate
    d["deadLetters"]=dead
    if steps: d["steps"]=steps
    if outputs: d["outputs"]=outputs
    if launcher: d["launcher"]=True
    fmt=os.path.basename(folder)
    if f'{fmt}/{name}' in PENDING:
        folder=os.path.join(PR,fmt); os.makedirs(folder, exist_ok=True)
    if data is not None: w(f'{folder}/{name}.{ext}', data)
    expect(folder, name, d)
def L(step, reason, line=None, message=None, count=None, file=None):
    d={"step":step,"reason":reason}
    if file: d["file"]=file
    if line is not None: d["line"]=line
    if message: d["message"]=message
    if count: d["count"]=count
    return d
# companions: 3 claims (X-COMP-1, N-COMP-1, B-COMP-1) always flow
COMP=3
def merged(n): return {"merge-claims":{"in":COMP+n,"out":COMP+n},"adjudicate":{"in":None,"out":COMP+n}}
def merged(n, dedupe_dead=0):
    return {"merge-claims":{"in":COMP+n,"out":COMP+n},"adjudicate":{"out":COMP+n-dedupe_dead}}
XF='read-x12'; XR='split-x12'; BF='read-bundles'; BR='split-bundles'; NJ='read-ndjson'

# ---- x12 cases
case(X,'empty','edi',b'','an empty .edi file: one dead letter naming it, the companions flow',
     [L(XF,'EMPTY_FILE',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)}, launcher=True)

full=ic([tx('0001',[GOOD('X-1'), GOOD('X-2')])])
cut=full[:full.index('CLM*X-2')+14]
case(X,'truncated-mid-segment','edi',cut,'the interchange ends in the middle of a CLM segment (no SE, GE, IEA): the file is one dead letter',
     [L(XF,'MALFORMED_X12',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})

case(X,'missing-iea','edi',full[:full.index('IEA')],'GE but no IEA: the interchange never ends, one dead letter naming the file',
     [L(XF,'MALFORMED_X12',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})

t1=tx('0001',[GOOD('X-1')]); t2=tx('0002',[GOOD('X-2')])
nose=ic([t1[:-1], t2])
case(X,'missing-se','edi',nose,'the first transaction has no SE: its claim runs into the next ST, the group\'s count is wrong: the file is one dead letter',
     [L(XF,'MALFORMED_X12',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})

bad=ic([tx('0001',[GOOD('X-1'), GOOD('X-2')], se_count=99), tx('0002',[GOOD('X-3')])])
pos=clm_lines(bad)
case(X,'se-count-wrong','edi',bad,'SE01 says 99 segments: the two claims of that transaction are refused, the next transaction flows',
     [L(XR,'MALFORMED_X12',pos['X-1'],'SE'), L(XR,'MALFORMED_X12',pos['X-2'],'SE')], {XF:{"in":2,"out":2,"dead":0}, XR:{"out":2,"dead":2}, **merged(1)})

bad=ic([tx('0001',[GOOD('X-1')], se_ctrl='0009'), tx('0002',[GOOD('X-2')])])
pos=clm_lines(bad)
case(X,'se-control-mismatch','edi',bad,'SE02 0009 does not match ST02 0001: that transaction\'s claim is refused, the next flows',
     [L(XR,'MALFORMED_X12',pos['X-1'])], {XR:{"out":2,"dead":1}, **merged(1)})

case(X,'ge-count-wrong','edi',ic([t1,t2],ge_count=5),'GE01 says 5 transactions, the group has 2: the envelope is in error, the file is one dead letter',
     [L(XF,'MALFORMED_X12',0,'envelope')], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(X,'iea-control-mismatch','edi',ic([t1],iea_ctrl='000000999'),'IEA02 000000999 is not ISA13 000000101: the file is one dead letter',
     [L(XF,'MALFORMED_X12',0,'envelope')], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(X,'iea-count-wrong','edi',ic([t1],iea_count='3'),'IEA01 says 3 groups, there is 1: the file is one dead letter',
     [L(XF,'MALFORMED_X12',0,'envelope')], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})
gsbad=ic([t1]).replace('GE*1*101','GE*1*102')
case(X,'ge-control-mismatch','edi',gsbad,'GE02 102 is not GS06 101: the file is one dead letter',
     [L(XF,'MALFORMED_X12',0,'envelope')], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})

sep='!\n'
cust=ic([tx('0001',[GOOD('X-1'), clm('X-2','10',[('99213','1O.00','1')]), GOOD('X-3')])], sep=sep, el='|', comp='^', rep='{')
pos=clm_lines(cust, sep)
case(X,'custom-separators','edi',cust,'ISA declares | ^ { and ! as separators: read by them (CLM01 and SV102 found), the bad charge costs only its claim',
     [L(XR,'INVALID_NUMBER',pos['X-2'],'1O.00')], {XR:{"out":3,"dead":1}, **merged(2)})

ws=ic([tx('0001',[GOOD('X-1'), clm('X-2','1O.00',[('99213','100','1')]), clm('X-3','110',[('99213','100','1','A')]),
   clm('X-4','100',[('99213','100','two')]), clm('X-5','100',[('99213','100','1')],dtp='20261340'), clm('','100',[('99213','100','1')]),
   clm('X-7','100',[]), clm('X-8','100',[('99213','100','1'),('36415','10','1',1)]), GOOD('X-9')])])
pos=clm_lines(ws)
case(X,'wrong-types','edi',ws,'CLM02 and LX01 not numbers, SV104 in words, DTP month 13, no CLM01, no LX, a line number twice: each costs only its claim',
     [L(XR,'INVALID_NUMBER',pos['X-2'],'CLM02'), L(XR,'INVALID_NUMBER',pos['X-3'],'LX01'), L(XR,'INVALID_NUMBER',pos['X-4'],'SV104'),
      L(XR,'INVALID_DATE',pos['X-5'],'20261340'), L(XR,'MISSING_FIELD',pos[''],'CLM01'), L(XR,'MALFORMED_CLAIM',pos['X-7'],'LX'),
      L(XR,'MALFORMED_CLAIM',pos['X-8'],'twice')], {XR:{"out":3,"dead":7}, **merged(2)})

ab=ic([tx('0001',[clm('X-1','1E+99999999',[('99213','100','1')]), clm('X-2','110',[('99213','1e400','1')]),
   clm('X-3','123456789012345678901234567890',[('99213','100','1')]), clm('X-4','-110',[('99213','100','1')]),
   clm('X-5','110',[('99213','-100','1')]), clm('X-6','110',[('99213','100','1E+99999999')]), GOOD('X-7')])])
pos=clm_lines(ab)
case(X,'absurd-amounts','edi',ab,'CLM02 of 1E+99999999 and of 30 digits, SV102 of 1e400, units of 1E+99999999, negative total and charge: each refused, no hang',
     [L(XR,'INVALID_NUMBER',pos['X-1'],'CLM02'), L(XR,'INVALID_NUMBER',pos['X-2'],'SV102'), L(XR,'INVALID_NUMBER',pos['X-3'],'CLM02'),
      L(XR,'NEGATIVE_AMOUNT',pos['X-4'],'CLM02'), L(XR,'NEGATIVE_AMOUNT',pos['X-5'],'charge'), L(XR,'INVALID_NUMBER',pos['X-6'],'SV104')],
     {XR:{"out":2,"dead":6}, **merged(1)})

dt=ic([tx('0001',[clm('X-1','110',[('99213','100','1')],dtp='99991231'), clm('X-2','110',[('99213','100','1')],dtp='20261122'),
   clm('X-3','110',[('99213','100','1')],dtp='00000101'), GOOD('X-4')]), tx('0002',[GOOD('X-5')], bht='20261399')])
pos=clm_lines(dt)
case(X,'dates-out-of-range','edi',dt,'a service date of 9999-12-31, one two days after receipt (BHT04), year 0000, a BHT04 of month 13: each costs its claim',
     [L(XR,'INVALID_DATE',pos['X-1'],'after'), L(XR,'INVALID_DATE',pos['X-2'],'after'), L(XR,'INVALID_DATE',pos['X-3'],'00000101'),
      L(XR,'INVALID_DATE',pos['X-5'],'BHT04')], {XR:{"out":2,"dead":4}, **merged(1)})

du=ic([tx('0001',[GOOD('X-1'), GOOD('X-1'), GOOD('X-COMP-1'), GOOD('X-2')])])
case(X,'duplicate-claim-ids','edi',du,'X-1 twice in the file and X-COMP-1 of the companion again: the first in file order is adjudicated',
     [L('dedupe-claims','DUPLICATE_CLAIM_ID',message='X-1'), L('dedupe-claims','DUPLICATE_CLAIM_ID',message='X-COMP-1')],
     {XR:{"out":5,"dead":0}, **merged(4,2)})

bom=b'\xef\xbb\xbf'+ic([tx('0001',[GOOD('X-1')])]).encode()
case(X,'bom','edi',bom,'a UTF-8 byte-order mark before ISA: dropped, the interchange is read', [], {XR:{"out":2,"dead":0}, **merged(1)})

u=ic([tx('0001',[GOOD('X-1'), clm('X-2','110',[('99213','100','1')],extra=('NTE*ADD*CAF@',)), GOOD('X-3')])])
pos=clm_lines(u)
a,b_=u.split('@')
case(X,'invalid-utf8','edi',a.encode()+b'\xe9\xff\xfe'+b_.encode(),'bytes that are not UTF-8 (a Latin-1 e, FF FE) in a note of X-2: that claim is refused, the others flow',
     [L(XR,'INVALID_ENCODING',pos['X-2'])], {XR:{"out":3,"dead":1}, **merged(2)})

u=ic([tx('0001',[GOOD('X-1'), clm('X-2','110',[('99213','100','1')],extra=('NTE*ADD*@',)), GOOD('X-3')])])
pos=clm_lines(u)
a,b_=u.split('@')
case(X,'long-segment','edi',None,'a 10 MB NTE segment (generated) in claim X-2: RECORD_TOO_LONG for that claim, cut to its tag; X-1 and X-3 flow',
     [L(XR,'RECORD_TOO_LONG',pos['X-2'],'NTE')], {XR:{"out":3,"dead":1}, **merged(2)},
     generate=[{"text":a},{"text":"LONG NOTE "*1024,"times":1024},{"text":b_}])

case(X,'not-x12','edi','Dear payer,\nplease find our claims attached.\n','prose in an .edi file: one dead letter naming it',
     [L(XF,'MALFORMED_X12',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})
short=ic([t1]).replace('SUBMITTER      ','SUBMITTER',1)
case(X,'isa-too-short','edi',short,'an ISA with a sender id of 9 characters, not 15 (ISA is 106 characters): the separators cannot be found, one dead letter',
     [L(XF,'MALFORMED_X12',0)], {XF:{"in":2,"out":1,"dead":1}, **merged(0)})

# ---------------------------------------------------------------- FHIR
NPI="http://hl7.org/fhir/sid/us-npi"; CPT="http://www.ama-assn.org/go/cpt"
def fclaim(cid, patient="Patient/M0000002", created="2026-11-20", items=None, total="110.00", extra=None):
    if items is None: items=[("99213","100.00","2026-11-02"),("36415","10.00","2026-11-02")]
    d={"resourceType":"Claim"}
    if cid is not None: d["id"]=cid
    d.update({"status":"active","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"professional"}]},
       "use":"claim","patient":{"reference":patient},"created":created,
       "provider":{"identifier":{"system":NPI,"value":"1234567893"}},"priority":{"coding":[{"code":"normal"}]},
       "insurance":[{"sequence":1,"focal":True,"coverage":{"display":"NSHP1"}}],
       "item":[{"sequence":i,"productOrService":{"coding":[{"system":CPT,"code":c}]},"servicedDate":s,"net":{"value":Raw(n),"currency":"USD"}} for i,(c,n,s) in enumerate(items,1)]})
    if total is not None: d["total"]={"value":Raw(total),"currency":"USD"}
    if extra: d.update(extra)
    return d
class Raw(str): pass
def dumps(o):
    # numbers written exactly as given (1E+99999999, 1e400, 30 digits)
    if isinstance(o, Raw):
        try: float(o); return str(o)
        except ValueError: return json.dumps(str(o))
    if isinstance(o, dict): return '{'+','.join(json.dumps(k)+':'+dumps(v) for k,v in o.items())+'}'
    if isinstance(o, list): return '['+','.join(dumps(v) for v in o)+']'
    return json.dumps(o, ensure_ascii=False)
def bundle(entries):
    # line 1 opens the bundle, entry i (0-based) on line i+2
    return '{"resourceType":"Bundle","type":"transaction","entry":[\n'+',\n'.join(dumps(e) for e in entries)+'\n]}\n'
def pat(uuid, mid): return {"fullUrl":f"urn:uuid:{uuid}","resource":{"resourceType":"Patient","id":mid}}
def bclaim(uuid, claim): return {"fullUrl":f"urn:uuid:{uuid}","resource":claim}

w(C+'/claims/companion.ndjson', dumps(fclaim("N-COMP-1"))+'\n')
w(C+'/claims/companion.json', bundle([pat("a0000000-0000-4000-8000-000000000002","M0000002"),
   bclaim("b0000000-0000-4000-8000-000000000001", fclaim("B-COMP-1", patient="urn:uuid:a0000000-0000-4000-8000-000000000002"))]))

P="urn:uuid:a0000000-0000-4000-8000-000000000001"
PE=pat("a0000000-0000-4000-8000-000000000001","M0000001")
def bc(cid, **kw): return bclaim(f"c0000000-0000-4000-8000-{cid[-1:].rjust(12,'0')}", fclaim(cid, patient=kw.pop('patient',P), **kw))

ents=[PE, bc("B-1"), bc("B-2", patient="urn:uuid:deadbeef-0000-4000-8000-000000000000"),
      bc("B-3", extra={"diagnosis":[{"sequence":1,"diagnosisReference":{"reference":"urn:uuid:0badc0de-0000-4000-8000-000000000000"}}]}), bc("B-4")]
case(F,'bundle-dangling-reference','json',bundle(ents),'Claim.patient and a diagnosis point at urn:uuids no entry has: those claims are MALFORMED_CLAIM, the others flow',
     [L(BR,'MALFORMED_CLAIM',4,'urn:uuid:deadbeef'), L(BR,'MALFORMED_CLAIM',5,'urn:uuid:0badc0de')], {BR:{"out":3,"dead":2}, **merged(2)})

full=bundle([PE, bc("B-1"), bc("B-2")])
case(F,'bundle-truncated','json',full[:len(full)*2//3],'a bundle cut in the middle of its second claim: JSON is one document, one dead letter naming the file',
     [L(BF,'MALFORMED_JSON',0)], {BF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(F,'bundle-not-json','json','<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/></Bundle>\n','an XML bundle in a .json file: one dead letter naming it',
     [L(BF,'MALFORMED_JSON',0)], {BF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(F,'bundle-wrong-resource-type','json',dumps(fclaim("B-1", patient=P))+'\n','a bare Claim (resourceType Claim) in a .json file, not a Bundle: one dead letter naming it',
     [L(BF,'NOT_A_BUNDLE',0,'Claim')], {BF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(F,'bundle-empty','json','','an empty .json file: one dead letter naming it',
     [L(BF,'EMPTY_FILE',0)], {BF:{"in":2,"out":1,"dead":1}, **merged(0)})

ents=[PE, bc("B-1", total="1E+99999999"), bc("B-2", items=[("99213","1e400","2026-11-02")]), bc("B-3", total="123456789012345678901234567890"),
      bc("B-4", total="-110.00"), bc("B-5", items=[("99213","-100.00","2026-11-02")]), bc("B-6", total="one hundred"),
      bc("B-7", items=[]), bc("B-8", created="2026-11-01"), bc("B-9", items=[("99213","100.00","99999-01-01")]),
      bc("B-10", extra={"billablePeriod":{"start":"+999999999-01-01"}}), bc("B-11", created="2026-11"),
      {"fullUrl":"urn:uuid:e0000000-0000-4000-8000-000000000001","resource":{"resourceType":"Observation","status":"final"}}, bc("B-12")]
case(F,'bundle-bad-claims','json',bundle(ents),'totals of 1E+99999999, 30 digits and -110, a net of 1e400 and -100, a total in words, no items, served after created, years 99999 and +999999999, a month for a date; an Observation is not a claim',
     [L(BR,'INVALID_NUMBER',3,'Claim.total'), L(BR,'INVALID_NUMBER',4,'net'), L(BR,'INVALID_NUMBER',5,'Claim.total'),
      L(BR,'NEGATIVE_AMOUNT',6,'total'), L(BR,'NEGATIVE_AMOUNT',7,'charge'), L(BR,'MALFORMED_CLAIM',8), L(BR,'MALFORMED_CLAIM',9,'no items'),
      L(BR,'INVALID_DATE',10,'after'), L(BR,'MALFORMED_CLAIM',11), L(BR,'MALFORMED_CLAIM',12), L(BR,'INVALID_DATE',13,'full date')],
     {BR:{"out":2,"dead":11}, **merged(1)})

u=bundle([PE, bc("B-1", extra={"text":{"status":"generated","div":"@"}}), bc("B-2")])
a,b_=u.split('@')
case(F,'bundle-huge-entry','json',None,'a Claim entry holding a 10 MB narrative (generated): RECORD_TOO_LONG for that claim, its text cut; B-2 flows',
     [L(BR,'RECORD_TOO_LONG',3)], {BR:{"out":2,"dead":1}, **merged(1)},
     generate=[{"text":a},{"text":"<p>x</p>"*128,"times":10240},{"text":b_}])

u=bundle([PE, bc("B-1"), bc("B-2", extra={"text":{"status":"generated","div":"@"}})])
a,b_=u.split('@')
case(F,'bundle-invalid-utf8','json',a.encode()+b'Caf\xe9'+b_.encode(),'a Latin-1 byte in a UTF-8 bundle: the JSON document is refused whole, one dead letter naming it',
     [L(BF,'INVALID_ENCODING',0)], {BF:{"in":2,"out":1,"dead":1}, **merged(0)})
case(F,'bundle-bom','json',b'\xef\xbb\xbf'+bundle([PE, bc("B-1")]).encode(),'a byte-order mark before the bundle is fine',
     [], {BR:{"out":2,"dead":0}, **merged(1)})

lines=[dumps(fclaim("N-1")), '{"resourceType":"Claim","id":"N-2",', 'not json at all', '{"resourceType":"Patient","id":"M0000002"}', '',
       dumps(fclaim("N-3", total="1E+99999999")), dumps(fclaim("N-4", total="-5")), dumps(fclaim("N-5", created="2026-13-01")),
       dumps(fclaim("N-6", items=[("99213","100.00","2026-11-21")])), dumps(fclaim("N-7", extra={"item":"one"})),
       '   ', '[1,2,3]', dumps(fclaim("N-1")), dumps(fclaim("N-8"))]
case(F,'ndjson-bad-lines','ndjson','\n'.join(lines)+'\n','NDJSON: a cut object, prose, a Patient, an array, a total of 1E+99999999 and -5, month 13, served after created, items as a string, N-1 twice; blank lines are not records',
     [L(NJ,'MALFORMED_JSON',2), L(NJ,'MALFORMED_JSON',3), L(NJ,'NOT_A_CLAIM',4,'Patient'), L(NJ,'INVALID_NUMBER',6,'Claim.total'),
      L(NJ,'NEGATIVE_AMOUNT',7,'total'), L(NJ,'MALFORMED_CLAIM',8), L(NJ,'INVALID_DATE',9,'after'), L(NJ,'MALFORMED_CLAIM',10),
      L(NJ,'NOT_A_CLAIM',12), L('dedupe-claims','DUPLICATE_CLAIM_ID',13,'N-1')],
     {NJ:{"in":13,"out":4,"dead":9}, **merged(3,1)}, launcher=True)

enc=b'\xef\xbb\xbf'+dumps(fclaim("N-1")).encode()+b'\n'+dumps(fclaim("N-2")).replace('active','activ@').encode().replace(b'@',b'\xe9')+b'\n' \
    +dumps(fclaim("N-3")).encode().replace(b'professional',b'profes\x00sional')+b'\n'+dumps(fclaim("N-4")).encode()+b'\r\n'
case(F,'ndjson-encoding','ndjson',enc,'NDJSON: a byte-order mark, a Latin-1 byte, a raw NUL in a string, CRLF line ends',
     [L(NJ,'INVALID_ENCODING',2), L(NJ,'MALFORMED_JSON',3)], {NJ:{"in":5,"out":3,"dead":2}, **merged(2)})

u=dumps(fclaim("N-1"))+'\n'+dumps(fclaim("N-2", extra={"text":{"status":"generated","div":"@"}}))+'\n'+dumps(fclaim("N-3"))+'\n'
a,b_=u.split('@')
case(F,'ndjson-long-line','ndjson',None,'a 10 MB NDJSON line (generated): RECORD_TOO_LONG, never held whole; N-1 and N-3 flow',
     [L(NJ,'RECORD_TOO_LONG',2)], {NJ:{"in":4,"out":3,"dead":1}, **merged(2)},
     generate=[{"text":a},{"text":"<p>x</p>"*128,"times":10240},{"text":b_}])
