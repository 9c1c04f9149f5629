# Issue 13, session 10: an experiment, not a shipped path. Gradient-boosted stumps over the pairs that
# scripts/fit-relevance --cache writes, with the same nested leave-one-project-out protocol as
# RelevanceFit (rounds by inner log loss, thresholds by docs/relevance/threshold-rule.md on inner
# left-out predictions). Needs python3 with numpy. Usage:
#   python3 scripts/try-relevance-stumps.py target/s10/pairs-hybrid.tsv base 50,150,300
# (base = the shipped feature set base+local; all = every feature).
import sys, numpy as np
NAMES=["cosine","cosine_minus_best","cosine_minus_top10_mean","best_cosine","bm25","coverage","in_both","log_vector_rank","log_bm25_rank","fused","gap_to_next","log_fused_rank","log_query_words","cosine_minus_background","best_minus_background","best_minus_background_nearest","memory_hubness","idf_coverage","query_words_in_store","memory_hubness_local"]
BASELOCAL=NAMES[:13]+["memory_hubness_local"]
prompts=[];cur=None
for line in open(sys.argv[1]):
    t=line.rstrip('\n').split('\t')
    if t[0]=='P':
        cur=dict(project=t[1],ans=t[2]=='true',n=int(t[3]),y=[],x=[]);prompts.append(cur)
    else:
        cur['y'].append(t[0]=='1');cur['x'].append([float(v) for v in t[1:]])
for q in prompts: q['y']=np.array(q['y'],bool); q['x']=np.array(q['x']).reshape(-1,len(NAMES))
cols=[NAMES.index(f) for f in (NAMES if len(sys.argv)>2 and sys.argv[2]=='all' else BASELOCAL)]
projects=sorted(set(q['project'] for q in prompts))
def XY(ps):
    X=np.vstack([q['x'][:,cols] for q in ps if len(q['y'])]); Y=np.concatenate([q['y'] for q in ps if len(q['y'])]); return X,Y.astype(float)
def fit_gbm(X,Y,rounds,lr=0.1,nb=32):
    qs=[np.unique(np.quantile(X[:,j],np.linspace(0.03,0.97,nb))) for j in range(X.shape[1])]
    B=[np.searchsorted(qs[j],X[:,j],side='left') for j in range(X.shape[1])]  # bin k: X<=qs[k]
    p0=np.clip(Y.mean(),1e-6,1-1e-6); f=np.full(len(Y),np.log(p0/(1-p0))); model=[f[0]]
    for r in range(rounds):
        p=1/(1+np.exp(-f)); g=Y-p; h=p*(1-p)+1e-9; G=g.sum(); Hs=h.sum()
        best=None
        for j in range(X.shape[1]):
            nq=len(qs[j]); gb=np.cumsum(np.bincount(B[j],g,nq+1))[:nq]; hb=np.cumsum(np.bincount(B[j],h,nq+1))[:nq]
            gain=gb*gb/(hb+1)+(G-gb)**2/(Hs-hb+1); k=int(np.argmax(gain))
            if best is None or gain[k]>best[0]: best=(gain[k],j,qs[j][k],gb[k]/(hb[k]+1),(G-gb[k])/(Hs-hb[k]+1))
        _,j,t,a,b=best; f+=lr*np.where(X[:,j]<=t,a,b); model.append((j,t,lr*a,lr*b))
    return model
def pred(model,X):
    f=np.full(len(X),model[0])
    for j,t,a,b in model[1:]: f+=np.where(X[:,j]<=t,a,b)
    return 1/(1+np.exp(-f))
def metrics(scored,hook,floor):
    A=U=H=inj=ir=Q=ab=0;rec=rr=0
    for q,p in scored:
        o=np.argsort(-p,kind='stable'); y=q['y']
        shown=[i for i in o[:10] if p[i]>=hook][:3]; inj+=len(shown); s=sum(y[i] for i in shown); ir+=s
        res=[i for i in o if p[i]>=floor][:10]
        if q['ans']:
            A+=1;H+=s>0;rec+=sum(y[i] for i in res[:5])/q['n']
            for r,i in enumerate(res):
                if y[i]: rr+=1/(r+1);break
        else: U+=1;Q+=len(shown)==0;ab+=len(res)==0
    return dict(hit=H/A,prec=ir/max(inj,1),quiet=Q/U,r5=rec/A,mrr=rr/A,abst=ab/U,A=A,U=U,H=H,inj=inj,ir=ir,Q=Q,rec=rec,rr=rr,ab=ab)
def choose(scored,gain,quiet):
    best=-1;bg=-1;fb=0.99;bh=-1
    for k in range(1,100):
        t=k/100;m=metrics(scored,t,t);g=m[gain];qq=m[quiet]
        if qq>=0.9 and g>bg: best,bg=t,g
        h=0 if g+qq==0 else 2*g*qq/(g+qq)
        if h>bh: fb,bh=t,h
    return best if best>0 else fb
def auc(scored):
    P=np.concatenate([p for q,p in scored]);Y=np.concatenate([q['y'] for q,p in scored])
    r=np.argsort(np.argsort(P))+1; n1=Y.sum();n0=len(Y)-n1
    return (r[Y].sum()-n1*(n1+1)/2)/(n1*n0)
ROUNDS=[int(v) for v in (sys.argv[3].split(',') if len(sys.argv)>3 else ['50','150','300'])]
out=[];tot=None;sums={}
for P in projects:
    train=[q for q in prompts if q['project']!=P]; tp=sorted(set(q['project'] for q in train))
    bestL=None
    for R in ROUNDS:
        inner=[];loss=0;n=0
        for ip in tp:
            m=fit_gbm(*XY([q for q in train if q['project']!=ip]),R)
            for q in train:
                if q['project']==ip and len(q['y']):
                    p=pred(m,q['x'][:,cols]);inner.append((q,p));pc=np.clip(p,1e-9,1-1e-9)
                    loss-=np.sum(np.where(q['y'],np.log(pc),np.log(1-pc)));n+=len(p)
                elif q['project']==ip: inner.append((q,np.zeros(0)))
        loss/=n
        if bestL is None or loss<bestL[0]: bestL=(loss,R,inner)
    _,R,inner=bestL; hook=choose(inner,'hit','quiet'); floor=choose(inner,'r5','abst')
    m=fit_gbm(*XY(train),R)
    mine=[(q,pred(m,q['x'][:,cols]) if len(q['y']) else np.zeros(0)) for q in prompts if q['project']==P]
    out+=mine; mm=metrics(mine,hook,floor)
    for k in ['A','U','H','inj','ir','Q','rec','rr','ab']: sums[k]=sums.get(k,0)+mm[k]
    print(P,'rounds',R,'hook',hook,'floor',floor,{k:round(mm[k],3) for k in ['hit','prec','quiet','r5','mrr','abst']},flush=True)
s=sums
print('ALL hit %.3f prec %.3f quiet %.3f r5 %.3f mrr %.3f abst %.3f'%(s['H']/s['A'],s['ir']/s['inj'],s['Q']/s['U'],s['rec']/s['A'],s['rr']/s['A'],s['ab']/s['U']))
u=metrics(out,1.01,0); print('no floor r5 %.3f mrr %.3f'%(u['r5'],u['mrr'])); print('pair AUC %.3f'%auc([x for x in out if len(x[1])]))
